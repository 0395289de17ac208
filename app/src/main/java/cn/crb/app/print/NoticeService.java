package cn.crb.app.print;

import cn.crb.app.arbitration.ArbitrationService;
import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.localdb.ArbitrationRepository;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.DecisionRepository;
import cn.crb.localdb.OutboxRepository;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Printable documents of signed records, as PDF: the decision notice (决定书) of a signed decision and the minutes
 * (仲裁记录) of a closed arbitration. Each is composed from the signed envelope itself (as kept in the outbox, its SM3
 * checked again) and the case the platform sent, and carries the envelope's SM3 in full, the signers' key ids and a QR
 * code of the SM3, so that a paper copy can be matched to the signed record. Blocking: call in the background.
 */
public final class NoticeService {
    /** A document written: where, the SM3 of the envelope it shows, how many pages. */
    public record Printed(Path file, String envelopeSm3, int pages) {}

    private static final float LABEL = 92;

    private final ProfileSession session;
    private final Clock clock;
    private final Map<String, String> env;
    private final CaseRepository cases;
    private final DecisionRepository decisions;
    private final OutboxRepository outbox;
    private final ArbitrationRepository arbitrations;

    public NoticeService(ProfileSession session, Clock clock) {
        this(session, clock, System.getenv());
    }

    NoticeService(ProfileSession session, Clock clock, Map<String, String> env) {
        this.session = session;
        this.clock = clock;
        this.env = env;
        this.cases = new CaseRepository(session.database(), clock);
        this.decisions = new DecisionRepository(session.database(), clock);
        this.outbox = new OutboxRepository(session.database(), clock);
        this.arbitrations = new ArbitrationRepository(session.database(), clock);
    }

    /** The signed decision envelope of the case's latest signed revision, or empty when nothing is signed here. */
    public Optional<Envelope> signedDecision(String caseId) throws ProfileException {
        Optional<DecisionRepository.Stored> stored = decisions.latestSigned(caseId);
        if (stored.isEmpty()) return Optional.empty();
        return Optional.of(kept(stored.get().envelopeSm3()));
    }

    /** The chair's signed result of the case's arbitration, or empty while it is not closed here. */
    public Optional<Envelope> arbitrationResult(String caseId) {
        String arbitrationId = cases.caseJson(caseId).map(d -> d.path("arbitration").path("arbitrationId").asText(null)).orElse(null);
        if (arbitrationId == null) return Optional.empty();
        return arbitrations.events(arbitrationId).stream().filter(e -> e.kind() == ArbitrationRepository.Kind.CLOSED)
                .map(ArbitrationRepository.Event::envelope).findFirst();
    }

    /** Writes the decision notice of {@code caseId} to {@code out} (replaced whole, never left half-written). */
    public Printed decisionNotice(String caseId, Locale locale, Path out) throws ProfileException {
        Envelope e = signedDecision(caseId).orElseThrow(() -> new ProfileException(ProfileException.Reason.NOTICE_NOT_SIGNED, caseId, null));
        JsonNode doc = cases.caseJson(caseId).orElse(Json.object());
        PrintTexts t = new PrintTexts(locale);
        String title = t.text("print.decision.title");
        return write(out, e, title, caseId, t, c -> decision(c, t, e, doc));
    }

    /** Writes the minutes of the closed arbitration on {@code caseId} to {@code out}. */
    public Printed arbitrationMinutes(String caseId, Locale locale, Path out) throws ProfileException {
        Envelope e = arbitrationResult(caseId).orElseThrow(() -> new ProfileException(ProfileException.Reason.MINUTES_NOT_CLOSED, caseId, null));
        JsonNode doc = cases.caseJson(caseId).orElse(Json.object());
        PrintTexts t = new PrintTexts(locale);
        String title = t.text("print.minutes.title");
        // who recused and why, as the session computed it (the result lists recused keys only, and a member who never
        // enrolled has none); the signed minutes text says the same in words
        Map<String, ArbitrationService.Recusal> recusals = new java.util.HashMap<>();
        try {
            ArbitrationService.View v = new ArbitrationService(session, clock).open(caseId);
            v.recusals().forEach((memberId, why) -> v.member(memberId).ifPresent(m -> recusals.put(m.member().personId(), why)));
        } catch (RuntimeException ignored) {
            // the case as stored no longer describes the session: the signed list of recused keys alone is shown
        }
        return write(out, e, title, caseId, t, c -> minutes(c, t, e, doc, recusals));
    }

    // ---- the decision notice ---------------------------------------------------------------------------------------

    private void decision(PdfComposer c, PrintTexts t, Envelope e, JsonNode doc) throws IOException {
        JsonNode p = e.payload();
        c.title(t.text("print.decision.title"), t.text("print.subtitle"));
        caseFields(c, t, p.path("caseId").asText(), p.path("caseRevision").asInt(), doc);
        c.field(t.text("print.standardsVersion"), p.path("standardsVersion").asText("—"), LABEL);
        c.field(t.text("print.verdict"), t.text("verdict." + p.path("verdict").asText()), LABEL);
        c.field(t.text("print.totalGranted"), p.path("totalGranted").asText("—"), LABEL);
        c.field(t.text("print.decidedAt"), t.dateTime(instant(p.path("decidedAt").asText(null))), LABEL);

        c.heading(t.text("print.lines"));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode l : p.path("lines")) {
            String id = l.path("outcomeId").asText();
            String course = l.path("targetCourse").isTextual() ? "\n" + t.text("print.targetCourse", l.path("targetCourse").asText()) : "";
            rows.add(List.of(id + " " + outcomeTitle(doc, id) + course, l.path("recommendedCredits").asText("—"),
                    l.path("grantedCredits").asText("—"), l.path("reason").isTextual() ? l.path("reason").asText() : "—"));
        }
        c.table(List.of(t.text("print.col.outcome"), t.text("print.col.recommended"), t.text("print.col.granted"), t.text("print.col.reason")),
                new float[]{0.40f, 0.13f, 0.13f, 0.34f}, rows, 9);

        c.heading(t.text(p.has("findings") ? "print.findings" : "print.comment"));
        String comment = p.path("comment").asText("");
        c.paragraph(comment.isBlank() ? "—" : comment, PdfComposer.BODY);

        c.heading(t.text("print.signatures"));
        for (Envelope.Signature s : e.signatures()) signature(c, t, s, signerName(s.keyId(), null));
        seal(c, t, e.sm3(), e.signatures());
    }

    // ---- the arbitration minutes -----------------------------------------------------------------------------------

    private void minutes(PdfComposer c, PrintTexts t, Envelope e, JsonNode doc, Map<String, ArbitrationService.Recusal> recusals) throws IOException {
        JsonNode p = e.payload();
        c.title(t.text("print.minutes.title"), t.text("print.subtitle"));
        c.field(t.text("print.arbitrationId"), p.path("arbitrationId").asText(), LABEL);
        caseFields(c, t, p.path("caseId").asText(), doc.path("revision").asInt(0), doc);
        c.field(t.text("print.objection"), doc.path("arbitration").path("objection").path("grounds").asText("—"), LABEL);
        c.field(t.text("print.closedAt"), t.dateTime(instant(p.path("closedAt").asText(null))), LABEL);

        c.heading(t.text("print.panel"));
        List<String> recused = new ArrayList<>();
        p.path("recused").forEach(k -> recused.add(k.asText()));
        List<Envelope> votes = new ArrayList<>();
        p.path("votes").forEach(v -> votes.add(Envelope.fromJson(v)));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode m : p.path("panel")) {
            List<String> keys = new ArrayList<>();
            m.path("keyIds").forEach(k -> keys.add(k.asText()));
            String standing;
            ArbitrationService.Recusal why = recusals.get(m.path("personId").asText());
            if (why != null) standing = t.text("print.standing.recused." + why.name());
            else if (keys.stream().anyMatch(recused::contains)) standing = t.text("print.standing.recused");
            else standing = votes.stream().filter(v -> keys.contains(v.payload().path("memberKeyId").asText())).findFirst()
                    .map(v -> t.text("print.standing.voted", t.text("position." + v.payload().path("position").asText())))
                    .orElse(t.text("print.standing.none"));
            rows.add(List.of(m.path("displayName").asText(m.path("personId").asText()), m.path("institution").asText("—"),
                    t.text(m.path("chair").asBoolean(false) ? "print.chair" : "print.member"), standing));
        }
        c.table(List.of(t.text("print.col.member"), t.text("print.col.institution"), t.text("print.col.duty"), t.text("print.col.standing")),
                new float[]{0.22f, 0.30f, 0.14f, 0.34f}, rows, 9);

        c.heading(t.text("print.votes"));
        List<List<String>> voteRows = new ArrayList<>();
        for (Envelope v : votes) {
            JsonNode vp = v.payload();
            String keyId = vp.path("memberKeyId").asText();
            voteRows.add(List.of(memberName(p, keyId), t.text("position." + vp.path("position").asText()), vp.path("reason").asText("—"),
                    "SM3\n" + PrintTexts.grouped(v.sm3(), 4) + "\n" + t.text("print.keyId") + "\n" + PrintTexts.grouped(keyId, 4)));
        }
        c.table(List.of(t.text("print.col.member"), t.text("print.col.position"), t.text("print.col.reason"), t.text("print.col.voteSignature")),
                new float[]{0.14f, 0.10f, 0.36f, 0.40f}, voteRows, 8);

        c.heading(t.text("print.outcome"));
        String outcome = t.text("position." + p.path("outcome").asText());
        c.field(t.text("print.outcome.position"), p.path("decidedByChair").asBoolean(false) ? t.text("print.byChair", outcome) : outcome, LABEL);
        if (p.path("finalLines").size() > 0) {
            List<List<String>> lines = new ArrayList<>();
            for (JsonNode l : p.path("finalLines")) {
                String id = l.path("outcomeId").asText();
                lines.add(List.of(id + " " + outcomeTitle(doc, id), l.path("grantedCredits").asText("—")));
            }
            c.space(4);
            c.table(List.of(t.text("print.col.outcome"), t.text("print.col.granted")), new float[]{0.75f, 0.25f}, lines, 9);
        }

        c.heading(t.text("print.minutesText"));
        c.paragraph(p.path("minutes").asText("—"), 9.5f);

        c.heading(t.text("print.signatures"));
        for (Envelope.Signature s : e.signatures()) signature(c, t, s, signerName(s.keyId(), p));
        seal(c, t, e.sm3(), e.signatures());
    }

    // ---- shared parts ----------------------------------------------------------------------------------------------

    private static void caseFields(PdfComposer c, PrintTexts t, String caseId, int revision, JsonNode doc) throws IOException {
        c.field(t.text("print.caseId"), revision > 0 ? t.text("print.caseIdRevision", caseId, revision) : caseId, LABEL);
        JsonNode learner = doc.path("learner");
        String name = learner.path("nameMasked").asText("—");
        c.field(t.text("print.learner"), learner.hasNonNull("idMasked") ? t.text("print.learnerWithId", name, learner.path("idMasked").asText()) : name, LABEL);
        JsonNode prog = doc.path("programme");
        List<String> parts = new ArrayList<>();
        for (String f : List.of("name", "programmeCode", "institution")) if (prog.hasNonNull(f)) parts.add(prog.path(f).asText());
        c.field(t.text("print.programme"), parts.isEmpty() ? "—" : String.join(" · ", parts), LABEL);
    }

    private static void signature(PdfComposer c, PrintTexts t, Envelope.Signature s, String name) throws IOException {
        c.space(4);
        String role = t.text("role." + s.role());
        c.field(t.text("print.signer"), name == null ? role : t.text("print.signerNamed", name, role), LABEL);
        c.field(t.text("print.keyId"), s.keyId(), LABEL, 9);
        c.field(t.text("print.signedAt"), t.dateTime(instant(s.signedAt())), LABEL);
    }

    private static void seal(PdfComposer c, PrintTexts t, String sm3, List<Envelope.Signature> sigs) throws IOException {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{t.text("print.envelopeSm3"), PrintTexts.grouped(sm3, 4)});
        lines.add(new String[]{t.text("print.algorithm"), sigs.isEmpty() ? "—" : sigs.getFirst().alg()});
        lines.add(new String[]{"", t.text("print.sealText")});
        c.sealBlock(lines, LABEL, sm3, t.text("print.qrCaption"));
    }

    private String signerName(String keyId, JsonNode result) {
        if (keyId.equals(session.summary().keyId())) return session.summary().displayName();
        return result == null ? null : memberNameOrNull(result, keyId);
    }

    private static String memberName(JsonNode result, String keyId) {
        String n = memberNameOrNull(result, keyId);
        return n == null ? keyId.substring(0, 16) + "…" : n;
    }

    private static String memberNameOrNull(JsonNode result, String keyId) {
        for (JsonNode m : result.path("panel")) {
            for (JsonNode k : m.path("keyIds")) if (k.asText().equals(keyId)) return m.path("displayName").asText(null);
        }
        return null;
    }

    private static String outcomeTitle(JsonNode doc, String outcomeId) {
        for (JsonNode o : doc.path("outcomes")) if (o.path("outcomeId").asText().equals(outcomeId)) return o.path("title").asText("");
        return "";
    }

    private static Instant instant(String rfc3339) {
        try {
            return rfc3339 == null ? null : java.time.OffsetDateTime.parse(rfc3339).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The envelope kept in the outbox under {@code sm3}, refused unless it still hashes to that SM3. */
    private Envelope kept(String sm3) throws ProfileException {
        Envelope e = outbox.envelope(sm3).orElseThrow(() -> new ProfileException(ProfileException.Reason.STORAGE, "signed envelope " + sm3 + " is missing", null));
        if (!e.sm3().equals(sm3)) throw new ProfileException(ProfileException.Reason.STORAGE, "signed envelope " + sm3 + " does not match its SM3", null);
        return e;
    }

    private interface Body {
        void compose(PdfComposer c) throws IOException;
    }

    private Printed write(Path out, Envelope e, String title, String caseId, PrintTexts t, Body body) throws ProfileException {
        List<PrintFonts.Loaded> fonts;
        try {
            fonts = PrintFonts.load(env);
        } catch (PrintFonts.MissingFontException ex) {
            throw new ProfileException(ProfileException.Reason.NOTICE_FONT_MISSING, null, ex);
        } catch (IOException ex) {
            throw new ProfileException(ProfileException.Reason.NOTICE_FONT_MISSING, null, ex);
        }
        Path target = out.toAbsolutePath();
        Path tmp = null;
        try (PdfComposer c = new PdfComposer(fonts)) {
            body.compose(c);
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            int pages;
            try (OutputStream os = Files.newOutputStream(tmp)) {
                Calendar created = GregorianCalendar.from(clock.instant().atZone(PrintTexts.BEIJING));
                created.setTimeZone(TimeZone.getTimeZone(PrintTexts.BEIJING));
                String sm3 = e.sm3();
                pages = c.save(os, title + " " + caseId, "SM3 " + sm3,
                        (page, of) -> t.text("print.footer", title, caseId, sm3.substring(0, 16), page, of), created);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Printed(target, e.sm3(), pages);
        } catch (IOException | RuntimeException ex) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the half-written file keeps its .part name; nothing reads it
                }
            }
            throw new ProfileException(ProfileException.Reason.NOTICE_NOT_WRITTEN, target.getFileName() + ": " + ex.getMessage(), ex);
        }
    }
}
