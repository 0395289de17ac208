package cn.crb.app.ui.casereview;

import cn.crb.app.cases.CaseService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.decision.DecisionLine;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.evaluation.Credits;
import cn.crb.domain.evaluation.EvaluationLine;
import cn.crb.domain.evaluation.Outcome;
import cn.crb.localdb.DecisionRepository;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.math.BigDecimal;
import java.util.List;

/**
 * One case under review: the recommendation line by line with its basis, and the decision being drafted. Every edit
 * is saved as a draft in the background; signing asks for the passphrase and runs in the background.
 */
public final class CaseViewModel {
    /** A line of the table: the outcome, the engine's line, and what the reviewer grants. */
    public static final class Line {
        public final Outcome outcome;
        public final EvaluationLine recommendation;
        public final StringProperty granted = new SimpleStringProperty();
        public final StringProperty reason = new SimpleStringProperty();

        Line(Outcome outcome, EvaluationLine recommendation, DecisionLine decided) {
            this.outcome = outcome;
            this.recommendation = recommendation;
            granted.set(decided == null || decided.grantedCredits() == null ? "" : Credits.format(decided.grantedCredits()));
            reason.set(decided == null || decided.reason() == null ? "" : decided.reason());
        }
    }

    private final CaseService service;
    private final Background background;
    private final I18n i18n;
    private final String caseId;

    private final ObjectProperty<CaseService.CaseDetail> detail = new SimpleObjectProperty<>();
    private final ObservableList<Line> lines = FXCollections.observableArrayList();
    private final ObjectProperty<Verdict> verdict = new SimpleObjectProperty<>();
    private final ObservableList<Verdict> verdictChoices = FXCollections.observableArrayList(
            Verdict.APPROVE, Verdict.APPROVE_PARTIAL, Verdict.REJECT, Verdict.REQUEST_MATERIALS);
    private final BooleanProperty institutionResponse = new SimpleBooleanProperty(false);
    private final BooleanProperty inspection = new SimpleBooleanProperty(false);
    private final StringProperty comment = new SimpleStringProperty("");
    private final StringProperty privateNote = new SimpleStringProperty("");
    private final StringProperty problems = new SimpleStringProperty("");
    /** What the comment field lacks, shown at the field: a decline's reason, findings, a rejection's comment ("" when nothing). */
    private final StringProperty commentProblem = new SimpleStringProperty("");
    private static final java.util.Set<String> COMMENT_CODES = java.util.Set.of("DECLINE_REASON_REQUIRED", "FINDINGS_REQUIRED", "COMMENT_REQUIRED");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty total = new SimpleStringProperty("");
    private final BooleanProperty signed = new SimpleBooleanProperty(false);
    /** Whether the person can decide on this revision here (CaseService.NoAction): otherwise the form is read-only. */
    private final BooleanProperty actionable = new SimpleBooleanProperty(true);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty canSign = new SimpleBooleanProperty(false);
    /** The objection action: shown where objections belong (public notice, a rejection, an arbitration), enabled when allowed. */
    private final BooleanProperty objectionShown = new SimpleBooleanProperty(false);
    private final BooleanProperty objectionAllowed = new SimpleBooleanProperty(false);
    private final StringProperty objectionStatus = new SimpleStringProperty("");
    private boolean loading;
    private boolean saving;
    private boolean dirty;

    private final Runnable onQueued;

    public CaseViewModel(CaseService service, Background background, I18n i18n, String caseId) {
        this(service, background, i18n, caseId, () -> { });
    }

    /** {@code onQueued} runs on the FX thread whenever something signed here went into the outbox. */
    public CaseViewModel(CaseService service, Background background, I18n i18n, String caseId, Runnable onQueued) {
        this.onQueued = onQueued;
        this.service = service;
        this.background = background;
        this.i18n = i18n;
        this.caseId = caseId;
        verdict.addListener((o, a, b) -> edited());
        comment.addListener((o, a, b) -> edited());
        privateNote.addListener((o, a, b) -> edited());
    }

    public void load() {
        busy.set(true);
        background.run(() -> service.open(caseId), d -> {
            loading = true;
            institutionResponse.set(d.institutionResponse());
            inspection.set(d.inspection());
            verdictChoices.setAll(d.institutionResponse() ? List.of(Verdict.CONFIRM, Verdict.DECLINE)
                    : d.inspection() ? List.of(Verdict.CONFIRMED, Verdict.IRREGULAR)
                    : List.of(Verdict.APPROVE, Verdict.APPROVE_PARTIAL, Verdict.REJECT, Verdict.REQUEST_MATERIALS));
            detail.set(d);
            Decision dec = d.decision().orElse(null);
            lines.clear();
            var evLines = d.evaluation().map(e -> e.lines()).orElse(List.of());
            for (int i = 0; i < d.recognitionCase().outcomes().size(); i++) {
                Outcome o = d.recognitionCase().outcomes().get(i);
                Line l = new Line(o, i < evLines.size() ? evLines.get(i) : null, dec == null ? null : dec.lines().get(i));
                l.granted.addListener((x, a, b) -> edited());
                l.reason.addListener((x, a, b) -> edited());
                lines.add(l);
            }
            verdict.set(dec == null ? null : dec.verdict());
            comment.set(dec == null ? "" : dec.comment());
            privateNote.set(dec == null ? "" : dec.privateNote());
            signed.set(d.state() == DecisionRepository.State.SIGNED);
            // with no standards version in force for the case there is no recommendation to decide from, and nothing a
            // person typed could be kept as a draft: the decision's fields stay closed, and the problems say why
            actionable.set(d.actionable() && d.evaluation().isPresent());
            if (d.draftCarriedFrom() != null) {
                message.set(d.draftCarriedFrom() == d.recognitionCase().revision() ? i18n.text("case.draftCarriedSame")
                        : i18n.text("case.draftCarried", d.draftCarriedFrom()));
            }
            if (d.refusal() != null) {
                var r = d.refusal();
                message.set(i18n.text("case.refused." + r.state().name(), r.resultCode() == null ? "" : r.resultCode(),
                        r.resultDetail() == null ? "" : r.resultDetail()));
            }
            loading = false;
            busy.set(false);
            refreshProblems();
            refreshObjection();
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    /** The decision as currently edited, or null when the case has no recommendation yet. */
    public Decision decision() {
        CaseService.CaseDetail d = detail.get();
        if (d == null || d.evaluation().isEmpty()) return null;
        Decision base = Decision.fromRecommendation(caseId, d.recognitionCase().revision(), d.evaluation().get());
        // a confirmation or an inspection repeats the decision as made (its recommended credits, status, target course
        // and standards version, CaseService.asDecided), not this workstation's recommendation; only what is typed changes
        if ((d.institutionResponse() || d.inspection()) && d.decision().filter(x -> x.lines().size() == lines.size()).isPresent()) {
            base = d.decision().get();
        }
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            DecisionLine b = base.lines().get(i);
            base = base.withLine(i, new DecisionLine(b.outcomeId(), b.status(), b.recommendedCredits(), parse(l.granted.get()), b.targetCourse(),
                    l.reason.get() == null || l.reason.get().isBlank() ? null : l.reason.get()));
        }
        return base.withVerdict(verdict.get() == null ? base.verdict() : verdict.get()).withComment(comment.get()).withPrivateNote(privateNote.get());
    }

    /**
     * Whether the case is shown with nothing to decide by but would be open otherwise: no standards version in force
     * for it yet (nothing can have been typed: its fields are closed).
     */
    public boolean awaitingStandards() {
        CaseService.CaseDetail d = detail.get();
        return d != null && d.actionable() && d.evaluation().isEmpty();
    }

    /** What the standards of the recommendation allow to be granted on this case (no limits without them). */
    cn.crb.domain.decision.GrantLimits grantLimits() {
        CaseService.CaseDetail d = detail.get();
        if (d == null || d.bundle().isEmpty()) return cn.crb.domain.decision.GrantLimits.NONE;
        return cn.crb.domain.decision.GrantLimits.of(d.bundle().get(), d.recognitionCase());
    }

    private static BigDecimal parse(String s) {
        try {
            return s == null || s.isBlank() ? null : new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void edited() {
        if (loading || signed.get() || !actionable.get()) return;
        refreshProblems();
        Decision d = decision();
        if (d == null) return;
        if (saving) {
            dirty = true;
            return;
        }
        saving = true;
        background.run(() -> { service.saveDraft(d); return true; }, ok -> {
            saving = false;
            if (dirty) {
                dirty = false;
                edited();
            }
        }, t -> {
            saving = false;
            if (signed.get()) return; // a save that waited for a lock and ended after the signature: nothing to say
            message.set(ErrorMessages.of(t, i18n));
            if (dirty) {
                // typed while this save waited: that later state is saved now, or it would wait for the next keystroke
                dirty = false;
                edited();
            }
        });
    }

    private void refreshProblems() {
        // the total as typed, every keystroke (bound to the problems' text, it lagged when that text did not change:
        // 0.7 → 0.75 showed the total of 0.7)
        Decision typed = decision();
        total.set(typed == null ? "" : i18n.text("case.total", Credits.format(typed.totalGranted())));
        CaseService.CaseDetail shown = detail.get();
        if (shown != null && !shown.actionable()) {
            // nothing to decide here: say why, instead of listing what a decision would lack
            problems.set(i18n.text("case.noAction." + shown.noAction().name()));
            commentProblem.set("");
            canSign.set(false);
            return;
        }
        Decision d = decision();
        if (d == null) {
            problems.set(i18n.text("case.noStandards"));
            commentProblem.set("");
            canSign.set(false);
            return;
        }
        List<Decision.Problem> p = d.problems(grantLimits());
        commentProblem.set(p.stream().filter(x -> COMMENT_CODES.contains(x.code())).findFirst()
                .map(x -> i18n.text("decision.problem." + x.code())).orElse(""));
        problems.set(i18n.clauses(p.stream().map(x -> (x.limit() == null ? i18n.text("decision.problem." + x.code())
                        : i18n.text("decision.problem." + x.code(), Credits.format(x.limit())))
                        + (x.outcomeId() == null ? "" : " (" + x.outcomeId() + ")"))
                .toList()));
        canSign.set(p.isEmpty() && !signed.get());
    }

    /** Sets every line back to the recommendation and the verdict to what it implies. */
    public void acceptRecommendation() {
        if (signed.get() || !actionable.get() || institutionResponse.get() || inspection.get() || detail.get() == null || detail.get().evaluation().isEmpty()) return;
        Decision fresh = Decision.fromRecommendation(caseId, detail.get().recognitionCase().revision(), detail.get().evaluation().get());
        loading = true;
        for (int i = 0; i < lines.size(); i++) {
            lines.get(i).granted.set(Credits.format(fresh.lines().get(i).recommendedCredits()));
            lines.get(i).reason.set("");
        }
        verdict.set(fresh.verdict());
        loading = false;
        edited();
    }

    private void refreshObjection() {
        background.run(() -> service.objectionRefusal(caseId), r -> {
            objectionShown.set(r.isEmpty() || r.get() != cn.crb.domain.arbitration.Objections.Refusal.WRONG_STEP);
            objectionAllowed.set(r.isEmpty());
            objectionStatus.set(r.map(x -> i18n.text("objection.refusal." + x.name())).orElse(""));
        }, t -> message.set(ErrorMessages.of(t, i18n)));
    }

    /** Raises an objection on this case, signed with the person's key. */
    public void raiseObjection(String grounds, char[] passphrase) {
        busy.set(true);
        background.run(() -> service.raiseObjection(caseId, grounds, passphrase), env -> {
            busy.set(false);
            message.set(i18n.text("case.objection.queued", env.sm3().substring(0, 16)));
            onQueued.run();
            refreshObjection();
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
            refreshObjection();
        });
    }

    private cn.crb.app.cases.EvidenceService evidence;

    /** Gives this view model the evidence store (the case screen shows evidence only with it). */
    public CaseViewModel withEvidence(cn.crb.app.cases.EvidenceService e) {
        this.evidence = e;
        return this;
    }

    /** An evidence file of an outcome as listed in the case: its name, SM3 and size. */
    public record EvidenceRef(String name, String sm3, long bytes) {}

    /** The evidence files of the outcome on line {@code index}, as the case lists them. */
    public List<EvidenceRef> evidenceOf(int index) {
        CaseService.CaseDetail d = detail.get();
        if (d == null) return List.of();
        var out = new java.util.ArrayList<EvidenceRef>();
        for (var e : d.document().path("outcomes").path(index).path("evidence")) {
            out.add(new EvidenceRef(e.path("name").asText(""), e.path("sm3").asText(""), e.path("bytes").asLong()));
        }
        return out;
    }

    /** Opens an evidence file in the background (local or downloaded, SM3 checked) and hands its pages to {@code show}. */
    public void openEvidence(EvidenceRef ref, java.util.function.Consumer<cn.crb.app.print.EvidencePages.Pages> show) {
        if (evidence == null) return;
        busy.set(true);
        background.run(() -> evidence.open(ref.sm3()), pages -> {
            busy.set(false);
            message.set(i18n.text("case.evidence.verified", ref.sm3().substring(0, 16) + "…"));
            show.accept(pages);
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    public BooleanProperty objectionShownProperty() { return objectionShown; }
    public BooleanProperty objectionAllowedProperty() { return objectionAllowed; }
    public StringProperty objectionStatusProperty() { return objectionStatus; }

    public void sign(char[] passphrase) {
        Decision d = decision();
        if (d == null || !d.problems(grantLimits()).isEmpty() || signed.get() || !actionable.get()) {
            cn.crb.domain.crypto.Passphrases.wipe(passphrase);
            return;
        }
        busy.set(true);
        background.run(() -> service.sign(d, passphrase), env -> {
            busy.set(false);
            signed.set(true);
            canSign.set(false);
            message.set(i18n.text("case.signed", env.sm3().substring(0, 16)));
            onQueued.run();
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    /** Says that the inbox has no next (or previous) case after this one. */
    public void noNeighbour(boolean next) {
        message.set(i18n.text(next ? "case.noNext" : "case.noPrevious"));
    }

    private final javafx.beans.property.BooleanProperty exporting = new javafx.beans.property.SimpleBooleanProperty(false);
    private volatile boolean exportCancelled;

    /**
     * Writes the notice of the signed decision to {@code target} in the background (the screen's language); the result
     * in the message. The PDF is composed into a file beside the target and moved onto it when complete, so a cancel
     * (or a crash) never leaves a half-written notice and never removes a file that was there before.
     */
    public void exportNotice(java.nio.file.Path target) {
        busy.set(true);
        exporting.set(true);
        exportCancelled = false;
        java.util.Locale lang = i18n.locale();
        java.nio.file.Path part = target.resolveSibling(target.getFileName() + ".part");
        background.run(() -> {
            var printed = service.exportNotice(caseId, lang, part);
            if (exportCancelled) {
                java.nio.file.Files.deleteIfExists(part);
                return null;
            }
            java.nio.file.Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return printed;
        }, p -> {
            message.set(p == null ? i18n.text("notice.cancelled")
                    : i18n.text("notice.exported", target.getFileName(), p.pages(), p.envelopeSm3().substring(0, 16)));
            busy.set(false);
            exporting.set(false);
        }, t -> {
            try {
                java.nio.file.Files.deleteIfExists(part);
            } catch (java.io.IOException ignored) {
                // the message below says what failed; a leftover .part file is harmless
            }
            message.set(ErrorMessages.of(t, i18n));
            busy.set(false);
            exporting.set(false);
        });
    }

    /** Stops waiting for the notice being written: nothing is saved. */
    public void cancelExport() {
        if (exporting.get()) exportCancelled = true;
    }

    public javafx.beans.property.BooleanProperty exportingProperty() { return exporting; }

    /** The file name offered for the notice. */
    public String noticeFileName() { return i18n.text("notice.decision.file", caseId); }

    public ObjectProperty<CaseService.CaseDetail> detailProperty() { return detail; }

    /** The learner's accumulation and planning view of the loaded case (empty before it is loaded). */
    public java.util.Optional<cn.crb.domain.evaluation.LearnerPlan> learnerPlan() {
        CaseService.CaseDetail d = detail.get();
        if (d == null) return java.util.Optional.empty();
        return java.util.Optional.of(cn.crb.domain.evaluation.LearnerPlan.of(d.recognitionCase(), d.bundle().orElse(null), d.evaluation().orElse(null)));
    }

    /** An institution's name as the case's standards list it, or its code when they do not (or before the case is loaded). */
    public String institutionName(String code) {
        CaseService.CaseDetail d = detail.get();
        if (d == null || code == null || d.bundle().isEmpty()) return code;
        return d.bundle().get().institution(code).map(cn.crb.domain.standards.Institution::name).orElse(code);
    }

    /** The learner as the platform sends them: masked name and account (contract 03: never more). */
    public String learnerText() {
        CaseService.CaseDetail d = detail.get();
        if (d == null) return "";
        var l = d.document().path("learner");
        return l.path("nameMasked").asText("") + " " + l.path("accountId").asText("");
    }
    public ObservableList<Verdict> verdictChoices() { return verdictChoices; }
    /** True when the person answers as the receiving institution (lines are read-only; confirm or decline). */
    public BooleanProperty institutionResponseProperty() { return institutionResponse; }
    /** True for an inspection case: the lines stand as archived; CONFIRMED or IRREGULAR with findings. */
    public BooleanProperty inspectionProperty() { return inspection; }
    /** True when the lines are not for this person to change (institution response, inspection). */
    public javafx.beans.binding.BooleanExpression linesFixed() { return institutionResponse.or(inspection); }
    public ObservableList<Line> lines() { return lines; }
    public ObjectProperty<Verdict> verdictProperty() { return verdict; }
    public StringProperty commentProperty() { return comment; }
    public StringProperty privateNoteProperty() { return privateNote; }
    public StringProperty problemsProperty() { return problems; }
    public StringProperty commentProblemProperty() { return commentProblem; }
    public StringProperty messageProperty() { return message; }
    /** "认定合计 N 学分" of the decision as typed. */
    public StringProperty totalProperty() { return total; }
    public BooleanProperty signedProperty() { return signed; }
    public BooleanProperty actionableProperty() { return actionable; }
    public BooleanProperty busyProperty() { return busy; }
    public BooleanProperty canSignProperty() { return canSign; }
    public String caseId() { return caseId; }

    public String reasonsText(EvaluationLine l) {
        return l == null ? "" : i18n.list(l.reasons().stream().map(r -> i18n.text("reason." + r.name())).toList());
    }

    /**
     * The bundle entry a basis clause names, for a reviewer to read: its name ({@link #basisLabel}) and the clause as
     * cited, then the entry — one value, or its fields one per line, indented, without JSON's braces and quotes.
     */
    public String basisEntry(String clause) {
        CaseService.CaseDetail d = detail.get();
        if (d == null || d.bundle().isEmpty()) return "";
        String head = basisLabel(clause) + "  ·  " + clause + "\n";
        return head + cn.crb.domain.standards.BasisLookup.entry(d.bundle().get(), clause).map(n -> {
            StringBuilder out = new StringBuilder();
            readable(n, "", i18n.locale().getLanguage().equals("zh") ? "：" : ": ", out);
            return out.toString().stripTrailing();
        }).orElse(i18n.text("case.basisMissing"));
    }

    private static void readable(com.fasterxml.jackson.databind.JsonNode n, String indent, String colon, StringBuilder out) {
        if (n.isObject()) {
            n.properties().forEach(f -> {
                if (f.getValue().isValueNode()) {
                    out.append(indent).append(f.getKey()).append(colon).append(f.getValue().asText()).append('\n');
                } else {
                    out.append(indent).append(f.getKey()).append(colon.strip()).append('\n');
                    readable(f.getValue(), indent + "    ", colon, out);
                }
            });
        } else if (n.isArray()) {
            for (com.fasterxml.jackson.databind.JsonNode e : n) {
                if (e.isValueNode()) {
                    out.append(indent).append("· ").append(e.asText()).append('\n');
                } else {
                    out.append(indent).append("·\n");
                    readable(e, indent + "    ", colon, out);
                }
            }
        } else {
            out.append(indent).append(n.asText()).append('\n');
        }
    }

    /**
     * A basis clause ({@code 2026.1:limits.outcomeValidityYears}, {@code 2026.1:catalogue[AC-CS-210]}) named in the
     * interface's language ("成果有效期（年）", "成果目录 AC-CS-210"); a clause of a kind not known here as cited.
     */
    public String basisLabel(String clause) {
        String path = clause.substring(clause.indexOf(':') + 1);
        java.util.ResourceBundle b = i18n.bundle();
        int bracket = path.indexOf('[');
        if (bracket > 0 && path.endsWith("]")) {
            String key = "basis.list." + path.substring(0, bracket);
            return b.containsKey(key) ? i18n.text(key, path.substring(bracket + 1, path.length() - 1)) : path;
        }
        if (b.containsKey("basis.path." + path)) return i18n.text("basis.path." + path);
        int dot = path.lastIndexOf('.');
        if (dot > 0 && b.containsKey("basis.prefix." + path.substring(0, dot))) {
            String last = path.substring(dot + 1);
            String named = b.containsKey("basis.value." + last) ? i18n.text("basis.value." + last) : last;
            return i18n.text("basis.prefix." + path.substring(0, dot), named);
        }
        return path;
    }

    public String statusText(EvaluationLine l) {
        return l == null ? "—" : i18n.text("lineStatus." + l.status().name());
    }
}
