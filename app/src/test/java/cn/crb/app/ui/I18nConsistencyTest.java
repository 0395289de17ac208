package cn.crb.app.ui;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.ui.shell.ShellViewModel;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.ui.resources.UiResources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Both languages complete: same keys in zh-CN and en, and every key the code or the views use exists. */
class I18nConsistencyTest {
    private static final ResourceBundle ZH = UiResources.bundle(UiResources.CHINESE);
    private static final ResourceBundle EN = UiResources.bundle(UiResources.ENGLISH);

    @Test
    void bothLanguagesHaveTheSameKeys() {
        assertThat(EN.getLocale().getLanguage()).isEqualTo("en");
        assertThat(Collections.list(ZH.getKeys())).containsExactlyInAnyOrderElementsOf(Collections.list(EN.getKeys()));
        for (String k : Collections.list(ZH.getKeys())) {
            assertThat(ZH.getString(k)).as(k).isNotBlank();
            assertThat(EN.getString(k)).as(k).isNotBlank();
        }
    }

    @Test
    void everyKeyUsedInViewsAndCodeExists() throws IOException {
        Set<String> used = new HashSet<>();
        Pattern fxml = Pattern.compile("\"%([a-zA-Z0-9_.]+)\"");
        Path views = Path.of("../ui-resources/src/main/resources/cn/crb/ui");
        try (Stream<Path> s = Files.list(views)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".fxml")).toList()) {
                Matcher m = fxml.matcher(Files.readString(p, StandardCharsets.UTF_8));
                while (m.find()) used.add(m.group(1));
            }
        }
        Pattern code = Pattern.compile("\\.text\\(\"([a-zA-Z0-9_.]+)\"\\s*[,)]");
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = code.matcher(Files.readString(p, StandardCharsets.UTF_8));
                while (m.find()) used.add(m.group(1));
            }
        }
        for (ProfileException.Reason r : ProfileException.Reason.values()) used.add("error." + r.name());
        for (Passphrases.Strength st : Passphrases.Strength.values()) used.add("strength." + st.name());
        for (ProfileService.Step st : ProfileService.Step.values()) used.add("step." + st.name());
        for (ShellViewModel.Connectivity c : ShellViewModel.Connectivity.values()) used.add("status." + c.name().toLowerCase());
        for (String section : ShellViewModel.SECTIONS) {
            used.add("nav." + section);
            used.add("empty." + section + ".title");
            used.add("empty." + section + ".text");
        }
        for (String role : List.of("REVIEWER", "PANEL_MEMBER", "PANEL_CHAIR", "CLERK")) used.add("role." + role);
        for (String st : cn.crb.app.ui.inbox.InboxViewModel.STEPS) if (!st.equals("ALL")) used.add("step.name." + st);
        for (String st : List.of("NEW", "DRAFT", "SIGNED", "QUEUED", "SENT", "ACCEPTED", "CONFLICT", "REJECTED", "MATERIALS_REQUESTED", "WITHDRAWN")) used.add("localState." + st);
        for (var k : cn.crb.domain.standards.StandardsLibrary.Admission.Kind.values()) used.add("standards.admission." + k.name());
        for (var r : cn.crb.domain.standards.BundleVerifier.Refusal.values()) used.add("standards.refusal." + r.name());
        for (String r : List.of("TOO_LARGE", "UNREADABLE")) used.add("standards.refusal." + r);
        for (var c : cn.crb.domain.standards.OutcomeCategory.values()) used.add("category." + c.name());
        for (var c : cn.crb.domain.standards.CatalogueStatus.values()) used.add("status." + c.name());
        for (var c : cn.crb.domain.standards.InstitutionStatus.values()) used.add("status." + c.name());
        for (var c : cn.crb.domain.standards.StandardsDiff.Kind.values()) used.add("change." + c.name());
        for (var a : cn.crb.domain.audit.AuditAction.values()) used.add("audit.action." + a.name());
        for (var p : cn.crb.sync.ProgressListener.Phase.values()) used.add("sync.phase." + p.name());
        for (var o : cn.crb.sync.SyncReport.Outcome.values()) used.add("sync.outcome." + o.name());
        for (var st : cn.crb.localdb.OutboxRepository.State.values()) used.add("outbox.state." + st.name());
        for (var v : cn.crb.domain.decision.Verdict.values()) used.add("verdict." + v.name());
        for (var l : cn.crb.domain.evaluation.LineStatus.values()) used.add("lineStatus." + l.name());
        for (var r : cn.crb.domain.evaluation.Reason.values()) used.add("reason." + r.name());
        for (var pos : cn.crb.domain.arbitration.Position.values()) used.add("position." + pos.name());
        for (var r : cn.crb.app.arbitration.ArbitrationService.Recusal.values()) used.add("arbitration.standing.recused." + r.name());
        for (var r : cn.crb.app.arbitration.ArbitrationService.Recusal.values()) used.add("print.standing.recused." + r.name());
        for (String r : List.of("TIE_WITHOUT_CHAIR", "AMENDMENTS_DISAGREE")) used.add("arbitration.result.revote." + r);
        for (String r : List.of("TIE_AWAITING_CHAIR", "TIE_AWAITING_VOTES", "AMENDMENTS_DISAGREE_AWAITING_VOTES")) used.add("arbitration.result.pending." + r);
        for (var k : cn.crb.localdb.ArbitrationRepository.Kind.values()) used.add("arbitration.event." + k.name());
        for (var r : cn.crb.app.profile.ProfileException.Reason.values()) used.add("error." + r.name());
        for (var d : cn.crb.app.ui.inbox.InboxViewModel.Due.values()) used.add("inbox.due." + d.name());
        for (var n : cn.crb.app.cases.CaseService.NoAction.values()) used.add("case.noAction." + n.name());
        for (var r : cn.crb.domain.arbitration.Objections.Refusal.values()) used.add("objection.refusal." + r.name());
        for (var sc : cn.crb.app.ui.common.Shortcut.values()) used.add(sc.messageKey());
        for (var sc : cn.crb.app.ui.common.Shortcut.Scope.values()) used.add("shortcut.scope." + sc.name());
        for (var t : cn.crb.app.ui.common.Looks.Theme.values()) used.add(t.messageKey());
        for (String topic : cn.crb.app.ui.help.HelpDialog.TOPICS) {
            used.add("help." + topic + ".title");
            used.add("help." + topic + ".body");
        }
        assertThat(used).hasSizeGreaterThan(40);
        List<String> missing = new ArrayList<>();
        for (String k : used) if (!ZH.containsKey(k) || !EN.containsKey(k)) missing.add(k);
        assertThat(missing).as("keys used but missing in a bundle").isEmpty();
    }

    @Test
    void viewsContainNoLiteralUserFacingText() throws IOException {
        Pattern literal = Pattern.compile("(text|promptText)=\"([^\"%$][^\"]*)\"");
        try (Stream<Path> s = Files.list(Path.of("../ui-resources/src/main/resources/cn/crb/ui"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".fxml")).toList()) {
                Matcher m = literal.matcher(Files.readString(p, StandardCharsets.UTF_8));
                assertThat(m.find()).as("literal text in %s", p.getFileName()).isFalse();
            }
        }
    }
}
