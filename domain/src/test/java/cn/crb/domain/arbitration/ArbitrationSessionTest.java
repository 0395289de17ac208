package cn.crb.domain.arbitration;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArbitrationSessionTest {
    private static final List<PanelMember> PANEL = List.of(
            new PanelMember("P1", "k1", "王建国", "SHOU", true),
            new PanelMember("P2", "k2", "陈静", "NJU-CE", false),
            new PanelMember("P3", "k3", "刘洋", "JSVC-01", false),
            new PanelMember("P4", "k4", "赵敏", "GDIA", false),
            new PanelMember("P5", "k5", "孙伟", "SHOU", false));

    private static ArbitrationSession open() {
        // the case's outcomes were issued by NJU-CE; the receiving institution is JSOU
        return ArbitrationSession.open("C-1", "A-1", PANEL, List.of("NJU-CE"), "JSOU", 3, 3);
    }

    private static Vote vote(String key, Position p) {
        return new Vote(key, p, p == Position.AMEND ? Map.of("O-1", new BigDecimal("2")) : Map.of(), "理由");
    }

    @Test
    void issuerMembersRecuseAndNeitherVoteNorCount() {
        ArbitrationSession s = open();
        assertThat(s.recused()).containsExactly("k2");
        assertThat(s.check(vote("k2", Position.UPHOLD))).contains(ArbitrationSession.VoteRefusal.RECUSED);
        assertThat(s.check(vote("kX", Position.UPHOLD))).contains(ArbitrationSession.VoteRefusal.NOT_ON_PANEL);
        ArbitrationSession two = s.withVote(vote("k1", Position.UPHOLD)).withVote(vote("k3", Position.UPHOLD));
        assertThat(two.result()).isEqualTo(new ArbitrationSession.NoQuorum(2, 3));
        assertThat(two.check(vote("k1", Position.OVERTURN))).contains(ArbitrationSession.VoteRefusal.ALREADY_VOTED);
        assertThat(two.withVote(vote("k4", Position.OVERTURN)).result())
                .isEqualTo(new ArbitrationSession.Decided(Position.UPHOLD, Map.of(), false));
    }

    @Test
    void aTieIsBrokenByTheChairAndDisagreeingAmendmentsVoteAgain() {
        ArbitrationSession s = open().withVote(vote("k1", Position.OVERTURN)).withVote(vote("k3", Position.UPHOLD))
                .withVote(vote("k4", Position.UPHOLD)).withVote(vote("k5", Position.OVERTURN));
        assertThat(s.result()).isEqualTo(new ArbitrationSession.Decided(Position.OVERTURN, Map.of(), true));

        ArbitrationSession amend = open().withVote(vote("k1", Position.AMEND)).withVote(vote("k3", Position.AMEND))
                .withVote(new Vote("k4", Position.AMEND, Map.of("O-1", new BigDecimal("2.0")), "同意修正"));
        assertThat(amend.result()).isEqualTo(new ArbitrationSession.Decided(Position.AMEND, Map.of("O-1", new BigDecimal("2")), false));
        ArbitrationSession disagree = open().withVote(vote("k1", Position.AMEND))
                .withVote(new Vote("k3", Position.AMEND, Map.of("O-1", new BigDecimal("3")), "应为3"))
                .withVote(vote("k4", Position.UPHOLD));
        assertThat(disagree.result()).isEqualTo(new ArbitrationSession.Revote("AMENDMENTS_DISAGREE"));
    }

    /** Disagreeing amendments wait for the votes still to come when they may carry another position; else a new round. */
    @Test
    void disagreeingAmendmentsWaitForVotesThatMayStillOutvoteThem() {
        ArbitrationSession s = open().withVote(vote("k3", Position.AMEND))
                .withVote(new Vote("k4", Position.AMEND, Map.of("O-1", new BigDecimal("3")), "应为3"))
                .withVote(vote("k5", Position.UPHOLD));
        // AMEND 2, UPHOLD 1, and the chair still to vote: an UPHOLD from the chair ties it and breaks the tie
        assertThat(s.result()).isEqualTo(new ArbitrationSession.Pending("AMENDMENTS_DISAGREE_AWAITING_VOTES"));
        assertThat(s.withVote(vote("k1", Position.UPHOLD)).result()).isEqualTo(new ArbitrationSession.Decided(Position.UPHOLD, Map.of(), true));
        assertThat(s.withVote(vote("k1", Position.AMEND)).result()).isEqualTo(new ArbitrationSession.Revote("AMENDMENTS_DISAGREE"));
        // AMEND 3 against nothing with one vote to come: no vote can change the winner, so a new round at once
        ArbitrationSession three = open().withVote(vote("k1", Position.AMEND)).withVote(vote("k3", Position.AMEND))
                .withVote(new Vote("k4", Position.AMEND, Map.of("O-1", new BigDecimal("3")), "应为3"));
        assertThat(three.result()).isEqualTo(new ArbitrationSession.Revote("AMENDMENTS_DISAGREE"));
    }

    /** A tie waits for the votes that may break it: the chair's first; a new round only when none can. */
    @Test
    void aTieWaitsForTheChairsVoteAndForMembersStillToVoteBeforeARevote() {
        ArbitrationSession three = open().withVote(vote("k3", Position.UPHOLD)).withVote(vote("k4", Position.OVERTURN)).withVote(vote("k5", Position.AMEND));
        assertThat(three.result()).isEqualTo(new ArbitrationSession.Pending("TIE_AWAITING_CHAIR"));
        assertThat(three.withVote(vote("k1", Position.OVERTURN)).result()).isEqualTo(new ArbitrationSession.Decided(Position.OVERTURN, Map.of(), false));

        // the chair recused (the outcomes were issued by the chair's institution): the members still to vote may break it
        ArbitrationSession chairRecused = ArbitrationSession.open("C-2", "A-2", PANEL, List.of("SHOU"), "JSOU", 3, 2);
        assertThat(chairRecused.recused()).containsExactlyInAnyOrder("k1", "k5");
        ArbitrationSession tie = chairRecused.withVote(vote("k2", Position.UPHOLD)).withVote(vote("k3", Position.OVERTURN));
        assertThat(tie.result()).isEqualTo(new ArbitrationSession.Pending("TIE_AWAITING_VOTES"));
        assertThat(tie.withVote(vote("k4", Position.UPHOLD)).result()).isEqualTo(new ArbitrationSession.Decided(Position.UPHOLD, Map.of(), false));
        assertThat(tie.withVote(vote("k4", Position.AMEND)).result()).isEqualTo(new ArbitrationSession.Revote("TIE_WITHOUT_CHAIR"));
    }

    @Test
    void declaredConflictsAndPanelRules() {
        ArbitrationSession s = open().withDeclaredConflict("k5").withDeclaredConflict("k4");
        assertThat(s.eligible()).extracting(PanelMember::keyId).containsExactly("k1", "k3");
        assertThat(s.quorumReachable()).isFalse();
        assertThatThrownBy(() -> ArbitrationSession.open("C", "A", PANEL.subList(0, 4), List.of(), "JSOU", 3, 3))
                .hasMessageContaining("odd number");
        assertThatThrownBy(() -> open().withVote(vote("k1", Position.UPHOLD)).withDeclaredConflict("k1")).hasMessageContaining("voted");
        assertThat(open().check(new Vote("k1", Position.AMEND, Map.of(), "x"))).contains(ArbitrationSession.VoteRefusal.AMEND_WITHOUT_LINES);
    }

    /** Contract 03 lists finalLines in every result: the amended lines, the decision's lines, or none for OVERTURN. */
    @Test
    void everyResultCarriesItsFinalLines() {
        ArbitrationSession s = open();
        List<ArbitrationDocuments.Member> members = PANEL.stream().map(m -> new ArbitrationDocuments.Member(m, List.of(m.keyId()))).toList();
        java.time.Instant at = java.time.Instant.parse("2026-11-27T08:00:00Z");
        var decisionLines = cn.crb.domain.json.Json.parse("[{\"outcomeId\":\"O-1\",\"grantedCredits\":\"3\"}]");
        var overturn = ArbitrationDocuments.resultPayload(s, members, List.of(), new ArbitrationSession.Decided(Position.OVERTURN, Map.of(), false),
                decisionLines, "", at);
        assertThat(overturn.get("finalLines").isArray()).isTrue();
        assertThat(overturn.get("finalLines")).isEmpty();
        var uphold = ArbitrationDocuments.resultPayload(s, members, List.of(), new ArbitrationSession.Decided(Position.UPHOLD, Map.of(), false),
                decisionLines, "", at);
        assertThat(uphold.get("finalLines")).isEqualTo(decisionLines);
        var amend = ArbitrationDocuments.resultPayload(s, members, List.of(), new ArbitrationSession.Decided(Position.AMEND, Map.of("O-1", new BigDecimal("2")), false),
                decisionLines, "", at);
        assertThat(amend.get("finalLines").get(0).get("grantedCredits").asText()).isEqualTo("2");
        assertThat(amend.get("recused").get(0).asText()).isEqualTo("k2");
    }
}
