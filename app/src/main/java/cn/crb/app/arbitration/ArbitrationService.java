package cn.crb.app.arbitration;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.arbitration.ArbitrationDocuments;
import cn.crb.domain.arbitration.ArbitrationSession;
import cn.crb.domain.arbitration.PanelMember;
import cn.crb.domain.arbitration.Position;
import cn.crb.domain.arbitration.Vote;
import cn.crb.domain.cases.Deadlines;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.Workflow;
import cn.crb.localdb.ArbitrationRepository;
import cn.crb.localdb.ArbitrationRepository.Event;
import cn.crb.localdb.ArbitrationRepository.Kind;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.StandardsRepository;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An arbitration session held around one workstation (contract 03). The panel and the objection come from the case
 * the platform sent; recusal is computed from the outcomes' issuers and the receiving institution, plus conflicts the
 * members declare. Each member acts by unlocking <b>their own</b> PKCS#12 key file with their own passphrase: the key
 * must be one the platform lists for that member, nobody signs for anybody, and no passphrase is kept. The chair
 * signs the result, which goes to the outbox; from then on the session is final. Blocking: call in the background.
 */
public final class ArbitrationService {
    private final ProfileSession session;
    private final CaseRepository cases;
    private final StandardsRepository standards;
    private final ArbitrationRepository repo;
    private final Clock clock;

    public ArbitrationService(ProfileSession session, Clock clock) {
        this.session = session;
        this.clock = clock;
        this.cases = new CaseRepository(session.database(), clock);
        this.standards = new StandardsRepository(session.database(), clock);
        this.repo = new ArbitrationRepository(session.database(), clock);
    }

    /** A line of the list of arbitrations. */
    public record Summary(String caseId, String arbitrationId, String platformState, boolean closedHere, Deadlines.TimeLeft timeLeft,
                          String grounds) {}

    /** Why a member does not vote. */
    public enum Recusal { INSTITUTION, DECLARED }

    /** Everything the session screen shows, as of one read. */
    public record View(JsonNode caseDocument, List<ArbitrationDocuments.Member> panel, ArbitrationSession session, int round,
                       Map<String, Recusal> recusals, Map<String, Event> votesThisRound, List<Event> events, ArbitrationSession.Result result,
                       Optional<Envelope> resultEnvelope, String notes, Deadlines.TimeLeft timeLeft, int minPanel,
                       Map<String, String> institutionNames) {
        /** The name of an institution of this case or panel by its code, from the case's standards; empty when not listed there. */
        public Optional<String> institutionName(String code) { return Optional.ofNullable(code == null ? null : institutionNames.get(code)); }

        public String caseId() { return session.caseId(); }
        public String arbitrationId() { return session.arbitrationId(); }
        public boolean closed() { return resultEnvelope.isPresent() || "FINAL".equals(caseDocument.path("arbitration").path("state").asText()); }
        public int lastSeq() { return events.isEmpty() ? 0 : events.getLast().seq(); }
        public Optional<ArbitrationDocuments.Member> member(String memberId) {
            return panel.stream().filter(m -> m.member().keyId().equals(memberId)).findFirst();
        }
        public ArbitrationDocuments.Member chair() {
            return panel.stream().filter(m -> m.member().chair()).findFirst().orElseThrow();
        }
    }

    public List<Summary> list() {
        List<Summary> out = new ArrayList<>();
        for (var e : cases.withArbitration().entrySet()) {
            JsonNode arb = e.getValue().path("arbitration");
            String id = arb.path("arbitrationId").asText();
            boolean closed = repo.events(id).stream().anyMatch(ev -> ev.kind() == Kind.CLOSED && repo.resultStands(ev.envelope()));
            out.add(new Summary(e.getKey(), id, arb.path("state").asText("OPEN"), closed, timeLeft(arb), arb.path("objection").path("grounds").asText("")));
        }
        return out;
    }

    public View open(String caseId) {
        JsonNode doc = cases.caseJson(caseId).orElseThrow(() -> new IllegalArgumentException("no case " + caseId));
        JsonNode arb = doc.path("arbitration");
        if (!arb.isObject()) throw new IllegalArgumentException("case " + caseId + " has no arbitration");
        String arbitrationId = arb.path("arbitrationId").asText();
        Optional<StandardsBundle> bundle = bundleInForce();
        Workflow.Arbitration rules = rules(arb);
        List<ArbitrationDocuments.Member> panel = ArbitrationDocuments.panel(arb);
        Set<String> issuers = new LinkedHashSet<>();
        for (JsonNode o : doc.path("outcomes")) issuers.add(o.path("issuer").asText());
        String receiving = doc.path("programme").path("institution").asText(null);
        ArbitrationSession s = ArbitrationSession.open(caseId, arbitrationId, panel.stream().map(ArbitrationDocuments.Member::member).toList(),
                issuers, receiving, rules.minPanel(), rules.quorum());
        Map<String, Recusal> recusals = new java.util.LinkedHashMap<>();
        s.recused().forEach(r -> recusals.put(r, Recusal.INSTITUTION));
        List<Event> events = repo.events(arbitrationId);
        int round = 1;
        Map<String, Event> votes = new java.util.LinkedHashMap<>();
        Envelope result = null;
        for (Event e : events) {
            switch (e.kind()) {
                case CONFLICT_DECLARED -> {
                    if (!s.recused().contains(e.memberId())) s = s.withDeclaredConflict(e.memberId());
                    recusals.putIfAbsent(e.memberId(), Recusal.DECLARED);
                }
                case VOTE -> {
                    s = s.withVote(ArbitrationDocuments.vote(e.envelope().payload(), e.memberId()));
                    votes.put(e.memberId(), e);
                }
                case REVOTE -> {
                    s = s.nextRound();
                    round = e.round();
                    votes.clear();
                }
                case CLOSED -> { if (repo.resultStands(e.envelope())) result = e.envelope(); } // a refused result leaves it open
            }
        }
        // the panel's and the case's institutions by name
        Set<String> codes = new LinkedHashSet<>(issuers);
        if (receiving != null) codes.add(receiving);
        panel.forEach(m -> { if (m.member().institution() != null) codes.add(m.member().institution()); });
        // named by the standards the case is evaluated under (as the case screen names them), else those in force
        Optional<StandardsBundle> caseBundle = Optional.ofNullable(doc.path("appliedOn").asText(null)).flatMap(d -> {
            try {
                return standards.library().inForceOn(LocalDate.parse(d));
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        }).or(() -> bundle);
        Map<String, String> names = new java.util.HashMap<>();
        caseBundle.ifPresent(b -> codes.forEach(c -> b.institution(c).ifPresent(i -> names.put(c, i.name()))));
        return new View(doc, panel, s, round, recusals, votes, events, s.result(), Optional.ofNullable(result),
                repo.notes(arbitrationId).orElse(""), timeLeft(arb), rules.minPanel(), Map.copyOf(names));
    }

    /** A member declares a conflict of interest and steps aside; they unlock their own key to do so. */
    public View declareConflict(String caseId, String memberId, Path keyFile, char[] passphrase, String reason) throws ProfileException {
        try {
            View v = open(caseId);
            ArbitrationDocuments.Member m = requireOpen(v, memberId);
            if (v.session().recused().contains(memberId)) throw new ProfileException(ProfileException.Reason.MEMBER_RECUSED, m.member().displayName(), null);
            if (v.votesThisRound().containsKey(memberId)) throw new ProfileException(ProfileException.Reason.ALREADY_VOTED, m.member().displayName(), null);
            if (v.events().stream().anyMatch(e -> e.kind() == Kind.VOTE && memberId.equals(e.memberId()))) {
                // a vote of an earlier round is in the session's record: stepping aside now would not take it out
                throw new ProfileException(ProfileException.Reason.VOTED_BEFORE_RECUSAL, m.member().displayName(), null);
            }
            Pkcs12Keystore.Unlocked key = unlockMember(m, keyFile, passphrase);
            append(v, Kind.CONFLICT_DECLARED, v.round(), memberId, null, Json.object().put("reason", reason == null ? "" : reason.strip()), key.keyId());
            return open(caseId);
        } finally {
            Passphrases.wipe(passphrase); // refused before the key was unlocked, too
        }
    }

    /** A member casts their vote, signed with their own key as PANEL_MEMBER. */
    public View vote(String caseId, String memberId, Path keyFile, char[] passphrase, Position position, Map<String, BigDecimal> amendedLines,
                     String reason) throws ProfileException {
        try {
            View v = open(caseId);
            ArbitrationDocuments.Member m = requireOpen(v, memberId);
            Vote vote = new Vote(memberId, position, position == Position.AMEND ? amendedLines : Map.of(), reason);
            if (position == Position.AMEND) checkAmendment(v, amendedLines);
            var refusal = v.session().check(vote);
            if (refusal.isPresent()) {
                switch (refusal.get()) {
                    case RECUSED -> throw new ProfileException(ProfileException.Reason.MEMBER_RECUSED, m.member().displayName(), null);
                    case ALREADY_VOTED -> throw new ProfileException(ProfileException.Reason.ALREADY_VOTED, m.member().displayName(), null);
                    default -> throw new IllegalArgumentException("vote refused: " + refusal.get());
                }
            }
            Pkcs12Keystore.Unlocked key = unlockMember(m, keyFile, passphrase);
            Instant now = clock.instant();
            Envelope env = Envelope.unsigned(ArbitrationDocuments.VOTE_TYPE,
                    ArbitrationDocuments.votePayload(caseId, v.arbitrationId(), key.keyId(), vote)).sign(key.privateKey(), key.publicKey(), "PANEL_MEMBER", now);
            append(v, Kind.VOTE, v.round(), memberId, env, Json.object().put("position", position.name()), key.keyId());
            return open(caseId);
        } finally {
            Passphrases.wipe(passphrase); // refused before the key was unlocked, too
        }
    }

    /** After a tie the chair did not break, or AMEND votes that disagree: a new round; the earlier votes stay in the minutes. */
    public View newRound(String caseId) throws ProfileException {
        View v = open(caseId);
        if (v.closed()) throw new ProfileException(ProfileException.Reason.ARBITRATION_FINAL, null, null);
        if (!(v.result() instanceof ArbitrationSession.Revote r)) throw new IllegalStateException("no revote is needed");
        append(v, Kind.REVOTE, v.round() + 1, null, null, Json.object().put("why", r.reason()), session.summary().keyId());
        return open(caseId);
    }

    public void saveNotes(String caseId, String notes) {
        View v = open(caseId);
        if (!v.closed()) repo.saveNotes(v.arbitrationId(), notes == null ? "" : notes);
    }

    /**
     * The chair closes the session: the result (with the signed votes of the deciding round and the minutes) signed
     * with the chair's own key as PANEL_CHAIR, queued in the outbox in the same transaction as the session's last event.
     */
    public Envelope close(String caseId, Path chairKeyFile, char[] passphrase, String notes) throws ProfileException {
        try {
            View v = open(caseId);
            ArbitrationDocuments.Member chair = v.chair();
            requireOpen(v, chair.member().keyId());
            if (!(v.result() instanceof ArbitrationSession.Decided decided)) {
                throw new ProfileException(ProfileException.Reason.NO_RESULT_YET, describe(v.result()), null);
            }
            Pkcs12Keystore.Unlocked key = unlockMember(chair, chairKeyFile, passphrase);
            Instant now = clock.instant();
            List<Envelope> votes = v.votesThisRound().values().stream().map(Event::envelope).toList();
            String minutes = Minutes.text(v, notes, now);
            JsonNode decisionLines = v.caseDocument().path("decision").path("lines");
            Envelope env = Envelope.unsigned(ArbitrationDocuments.RESULT_TYPE,
                    ArbitrationDocuments.resultPayload(v.session(), v.panel(), votes, decided, decisionLines, minutes, now))
                    .sign(key.privateKey(), key.publicKey(), "PANEL_CHAIR", now);
            try {
                repo.close(v.arbitrationId(), caseId, v.lastSeq(), v.round(), env, key.keyId());
            } catch (IllegalStateException e) {
                throw new ProfileException(ProfileException.Reason.SESSION_CHANGED, null, e);
            }
            return env;
        } finally {
            Passphrases.wipe(passphrase); // refused before the key was unlocked, too
        }
    }

    /** Writes the printable minutes (仲裁记录) of the closed session as PDF; see {@link cn.crb.app.print.NoticeService}. */
    public cn.crb.app.print.NoticeService.Printed exportMinutes(String caseId, java.util.Locale locale, Path out) throws ProfileException {
        return new cn.crb.app.print.NoticeService(session, clock).arbitrationMinutes(caseId, locale, out);
    }

    /** The key file of this person's own profile, offered first when they are on the panel. */
    public Path ownKeyFile() {
        return session.dir().resolve("keystore.p12");
    }

    public String ownKeyId() {
        return session.summary().keyId();
    }

    /**
     * The session's result as the argument of {@link ProfileException.Reason#NO_RESULT_YET}: the key of its text under
     * {@code arbitration.result.}, then its values, separated by {@code |} (the screen shows it in the person's language).
     */
    static String describe(ArbitrationSession.Result r) {
        return switch (r) {
            case ArbitrationSession.NoQuorum q -> "noQuorum|" + q.votes() + "|" + q.needed();
            case ArbitrationSession.Revote rv -> "revote." + rv.reason();
            case ArbitrationSession.Pending pd -> "pending." + pd.reason();
            case ArbitrationSession.Decided d -> "decided|" + d.position().name();
        };
    }

    private ArbitrationDocuments.Member requireOpen(View v, String memberId) throws ProfileException {
        if (v.closed()) throw new ProfileException(ProfileException.Reason.ARBITRATION_FINAL, null, null);
        return v.member(memberId).orElseThrow(() -> new IllegalArgumentException("no member " + memberId));
    }

    /** Opens the member's own key file; the key must be one the platform lists for that member. The passphrase is wiped. */
    /** An amendment names only outcomes of the case, each with credits of zero or more; refused before any key is unlocked. */
    private static void checkAmendment(View v, Map<String, BigDecimal> lines) throws ProfileException {
        java.util.Set<String> outcomes = new java.util.HashSet<>();
        for (JsonNode o : v.caseDocument().path("outcomes")) outcomes.add(o.path("outcomeId").asText());
        for (var e : lines.entrySet()) {
            if (!outcomes.contains(e.getKey()) || e.getValue() == null || e.getValue().signum() < 0) {
                throw new ProfileException(ProfileException.Reason.AMENDMENT_INVALID, e.getKey(), null);
            }
        }
    }

    private static Pkcs12Keystore.Unlocked unlockMember(ArbitrationDocuments.Member m, Path keyFile, char[] passphrase) throws ProfileException {
        Pkcs12Keystore.Unlocked key;
        try {
            key = Pkcs12Keystore.open(Files.readAllBytes(keyFile), passphrase);
        } catch (Pkcs12Keystore.WrongPassphraseException e) {
            throw new ProfileException(ProfileException.Reason.WRONG_PASSPHRASE, null, e);
        } catch (Pkcs12Keystore.MismatchedKeyException e) {
            throw new ProfileException(ProfileException.Reason.KEYSTORE_MISMATCHED, keyFile == null ? "" : keyFile.getFileName().toString(), e);
        } catch (IOException | RuntimeException e) {
            throw new ProfileException(ProfileException.Reason.KEYSTORE_UNREADABLE, keyFile == null ? "" : keyFile.getFileName().toString(), e);
        } finally {
            Passphrases.wipe(passphrase);
        }
        if (!m.holds(key.keyId())) throw new ProfileException(ProfileException.Reason.KEY_NOT_ON_PANEL, m.member().displayName(), null);
        return key;
    }

    private void append(View v, Kind kind, int round, String memberId, Envelope env, JsonNode detail, String actorKeyId) throws ProfileException {
        try {
            repo.append(v.arbitrationId(), v.caseId(), v.lastSeq(), kind, round, memberId, env, detail, actorKeyId);
        } catch (IllegalStateException e) {
            throw new ProfileException(v.closed() ? ProfileException.Reason.ARBITRATION_FINAL : ProfileException.Reason.SESSION_CHANGED, null, e);
        }
    }

    private Optional<StandardsBundle> bundleInForce() {
        return standards.library().inForceOn(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)).or(() -> standards.library().current());
    }

    /**
     * The arbitration rules the session is held under: those of the standards in force when it was opened (the panel
     * was assigned under them), else those in force now. Standards that come into force later — a larger panel, another
     * quorum — do not undo a session already under way or closed.
     */
    private Workflow.Arbitration rules(JsonNode arb) {
        Optional<StandardsBundle> atOpening = Optional.ofNullable(arb.path("openedAt").asText(null)).flatMap(t -> {
            try {
                return standards.library().inForceOn(LocalDate.ofInstant(Instant.parse(t), ZoneOffset.UTC));
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        });
        return rules(atOpening.or(this::bundleInForce));
    }

    private static Workflow.Arbitration rules(Optional<StandardsBundle> bundle) {
        return bundle.map(StandardsBundle::workflow).map(Workflow::arbitration).orElse(new Workflow.Arbitration(3, 3, 15));
    }

    private Deadlines.TimeLeft timeLeft(JsonNode arb) {
        String opened = arb.path("openedAt").asText(null);
        int days = arb.hasNonNull("deadline") ? -1 : rules(arb).deadlineDays();
        Instant due = arb.hasNonNull("deadline") ? Instant.parse(arb.path("deadline").asText())
                : opened == null ? null : Instant.parse(opened).plus(java.time.Duration.ofDays(days));
        return Deadlines.until(due, clock.instant());
    }
}
