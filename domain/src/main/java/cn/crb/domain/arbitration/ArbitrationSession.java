package cn.crb.domain.arbitration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of an arbitration session (contract 03), as plain values:
 * <ul>
 *   <li><b>recusal</b> — a member whose institution issued any outcome of the case, or is the receiving institution,
 *       must recuse; members may also declare a conflict. Recused members neither vote nor count;</li>
 *   <li><b>quorum</b> — at least {@code quorum} non-recused members have voted;</li>
 *   <li><b>outcome</b> — the position with most votes wins; a tie is broken by the chair's vote, so a tie waits for it
 *       ({@link Pending}) while the chair has not voted; a recused chair, or a chair who voted for none of the tied
 *       positions, cannot break it: it waits for the eligible members still to vote, and then the panel votes again); AMEND wins only when
 *       the amended lines of all AMEND votes agree, otherwise the panel votes again.</li>
 * </ul>
 * Immutable: {@link #withVote} and {@link #withDeclaredConflict} return new sessions.
 */
public record ArbitrationSession(String caseId, String arbitrationId, List<PanelMember> panel, Set<String> recused,
                                 Map<String, Vote> votes, int quorum) {
    public ArbitrationSession {
        panel = List.copyOf(panel);
        recused = Set.copyOf(recused);
        votes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(votes)); // in the order cast
    }

    /** Opens a session: recusal computed from the case's issuers and receiving institution. */
    public static ArbitrationSession open(String caseId, String arbitrationId, List<PanelMember> panel, Collection<String> issuerInstitutions,
                                          String receivingInstitution, int minPanel, int quorum) {
        if (panel.size() < minPanel || panel.size() % 2 == 0) {
            throw new IllegalArgumentException("a panel needs an odd number of members, at least " + minPanel + "; got " + panel.size());
        }
        if (panel.stream().filter(PanelMember::chair).count() != 1) throw new IllegalArgumentException("a panel has exactly one chair");
        Set<String> conflicted = new LinkedHashSet<>(issuerInstitutions);
        if (receivingInstitution != null) conflicted.add(receivingInstitution);
        Set<String> recused = new LinkedHashSet<>();
        for (PanelMember m : panel) if (m.institution() != null && conflicted.contains(m.institution())) recused.add(m.keyId());
        return new ArbitrationSession(caseId, arbitrationId, panel, recused, Map.of(), quorum);
    }

    /** Why a vote cannot be cast. */
    public enum VoteRefusal { NOT_ON_PANEL, RECUSED, ALREADY_VOTED, AMEND_WITHOUT_LINES }

    public Optional<VoteRefusal> check(Vote v) {
        if (panel.stream().noneMatch(m -> m.keyId().equals(v.memberKeyId()))) return Optional.of(VoteRefusal.NOT_ON_PANEL);
        if (recused.contains(v.memberKeyId())) return Optional.of(VoteRefusal.RECUSED);
        if (votes.containsKey(v.memberKeyId())) return Optional.of(VoteRefusal.ALREADY_VOTED);
        if (v.position() == Position.AMEND && v.amendedLines().isEmpty()) return Optional.of(VoteRefusal.AMEND_WITHOUT_LINES);
        return Optional.empty();
    }

    public ArbitrationSession withVote(Vote v) {
        check(v).ifPresent(r -> { throw new IllegalArgumentException("vote refused: " + r); });
        Map<String, Vote> all = new LinkedHashMap<>(votes);
        all.put(v.memberKeyId(), v);
        return new ArbitrationSession(caseId, arbitrationId, panel, recused, all, quorum);
    }

    /** A member declares a conflict before voting and steps aside. */
    public ArbitrationSession withDeclaredConflict(String memberKeyId) {
        if (votes.containsKey(memberKeyId)) throw new IllegalArgumentException("a member who voted cannot recuse afterwards");
        Set<String> r = new LinkedHashSet<>(recused);
        r.add(memberKeyId);
        return new ArbitrationSession(caseId, arbitrationId, panel, r, votes, quorum);
    }

    /** After a {@link Revote}: the votes of this round are set aside (kept in the minutes) and every eligible member votes again. */
    public ArbitrationSession nextRound() {
        return new ArbitrationSession(caseId, arbitrationId, panel, recused, Map.of(), quorum);
    }

    public List<PanelMember> eligible() {
        return panel.stream().filter(m -> !recused.contains(m.keyId())).toList();
    }

    public boolean quorumMet() {
        return votes.size() >= quorum;
    }

    /** Whether enough members can still vote for a quorum at all. */
    public boolean quorumReachable() {
        return eligible().size() >= quorum;
    }

    /** The session's result so far. */
    public sealed interface Result permits Decided, NoQuorum, Pending, Revote {}
    /** The winning position (and, for AMEND, the agreed lines); {@code byChair} when the chair broke a tie. */
    public record Decided(Position position, Map<String, java.math.BigDecimal> amendedLines, boolean byChair) implements Result {}
    /** Not enough votes yet (or not enough eligible members). */
    public record NoQuorum(int votes, int needed) implements Result {}
    /**
     * A tie that votes still to come may break: the chair's ({@code TIE_AWAITING_CHAIR}) or another eligible member's
     * ({@code TIE_AWAITING_VOTES}). Neither a result nor a reason to vote again: the votes cast stand.
     */
    public record Pending(String reason) implements Result {}
    /** The panel must vote again, and why. */
    public record Revote(String reason) implements Result {}

    /** Whether the eligible members still to vote, all voting for AMEND's strongest rival, could make it lose. */
    private boolean votesToComeMayOutvoteAmend(Map<Position, Integer> counts) {
        int amend = counts.getOrDefault(Position.AMEND, 0);
        int rival = counts.entrySet().stream().filter(e -> e.getKey() != Position.AMEND).mapToInt(Map.Entry::getValue).max().orElse(0);
        long toCome = eligible().stream().filter(m -> !votes.containsKey(m.keyId())).count();
        if (rival + toCome > amend) return true;
        if (rival + toCome < amend) return false;
        // a tie: broken by the chair, against AMEND only if the chair is eligible and has not voted AMEND
        return eligible().stream().filter(PanelMember::chair).findFirst()
                .map(c -> votes.get(c.keyId()) == null || votes.get(c.keyId()).position() != Position.AMEND).orElse(false);
    }

    public Result result() {
        if (!quorumMet()) return new NoQuorum(votes.size(), quorum);
        Map<Position, Integer> counts = new EnumMap<>(Position.class);
        for (Vote v : votes.values()) counts.merge(v.position(), 1, Integer::sum);
        int max = counts.values().stream().max(Integer::compare).orElse(0);
        List<Position> top = new ArrayList<>();
        for (var e : counts.entrySet()) if (e.getValue() == max) top.add(e.getKey());
        Position winner;
        boolean byChair = false;
        if (top.size() == 1) {
            winner = top.getFirst();
        } else {
            Optional<PanelMember> chair = panel.stream().filter(PanelMember::chair).findFirst();
            Optional<Vote> chairVote = chair.map(c -> votes.get(c.keyId()));
            if (chairVote.isEmpty() || !top.contains(chairVote.get().position())) {
                // the chair's vote is still to come: it breaks the tie (contract 03), so the votes cast stand
                if (chair.isPresent() && chairVote.isEmpty() && !recused.contains(chair.get().keyId())) return new Pending("TIE_AWAITING_CHAIR");
                // the chair cannot break it, but members who have not voted yet may
                if (eligible().stream().anyMatch(m -> !votes.containsKey(m.keyId()))) return new Pending("TIE_AWAITING_VOTES");
                return new Revote("TIE_WITHOUT_CHAIR");
            }
            winner = chairVote.get().position();
            byChair = true;
        }
        if (winner != Position.AMEND) return new Decided(winner, Map.of(), byChair);
        List<Vote> amends = votes.values().stream().filter(v -> v.position() == Position.AMEND).toList();
        for (Vote v : amends) {
            if (v.agreesWith(amends.getFirst())) continue;
            // votes still to come that may yet carry another position (or tie it, for the chair to break against AMEND)
            // are waited for: a new round now would throw away the votes cast for nothing
            return votesToComeMayOutvoteAmend(counts) ? new Pending("AMENDMENTS_DISAGREE_AWAITING_VOTES") : new Revote("AMENDMENTS_DISAGREE");
        }
        return new Decided(Position.AMEND, amends.getFirst().amendedLines(), byChair);
    }
}
