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
}
