package cn.crb.app.print;

import cn.crb.app.cases.CaseService;
import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.decision.DecisionLine;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.StandardsRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reviewer signs a decision through the case service against the reference platform; its notice is written as PDF
 * and read back: the case id and the Chinese text come out of the file as written (the embedded fonts' ToUnicode
 * maps), the rendered page is not blank, and the QR code on it decodes to the SM3 of the envelope in the outbox.
 */
class DecisionNoticeTest {
    private static final char[] PASS = "决定书 Test-Passphrase 7".toCharArray();
    private static final String COMMENT = "经审核，学习成果与目标专业课程内容基本对应，准予部分认定。";
    private static final String REASON = "成绩单未注明学时，按较低学分认定。";

    private static JsonNode res(String p) throws Exception {
        try (InputStream in = DecisionNoticeTest.class.getResourceAsStream(p)) { return Json.parse(in.readAllBytes()); }
    }

    @Test
    void aSignedDecisionPrintsAsANoticeThatMatchesItsEnvelope(@TempDir Path simDir, @TempDir Path home, @TempDir Path out) throws Exception {
        Clock clock = Clock.systemUTC();
        String sm3;
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", "JSOU", "李审核"),
                    PASS.clone(), PASS.clone(), "t", s -> { })) {
                String me = session.summary().keyId();
                new StandardsRepository(session.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")), null, me);
                new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01",
                        res("/examples/cases/C-EX-01.json"))), "x", me);
                NoticeService notices = new NoticeService(session, clock, Map.of());

                // nothing signed yet: no notice
                assertThatThrownBy(() -> notices.decisionNotice("C-EX-01", Locale.SIMPLIFIED_CHINESE, out.resolve("x.pdf")))
                        .isInstanceOf(ProfileException.class).extracting(e -> ((ProfileException) e).reason())
                        .isEqualTo(ProfileException.Reason.NOTICE_NOT_SIGNED);
                assertThat(out.resolve("x.pdf")).doesNotExist();

                CaseService cases = new CaseService(session, profiles, clock);
                Decision d = cases.open("C-EX-01").decision().orElseThrow();
                int granted = d.lines().indexOf(d.lines().stream().filter(l -> l.recommendedCredits().signum() > 0).findFirst().orElseThrow());
                DecisionLine g = d.lines().get(granted);
                d = d.withLine(granted, new DecisionLine(g.outcomeId(), g.status(), g.recommendedCredits(),
                        g.recommendedCredits().subtract(BigDecimal.ONE), g.targetCourse(), REASON)).withVerdict(Verdict.APPROVE_PARTIAL).withComment(COMMENT);
                assertThat(d.problems()).isEmpty();
                Envelope signed = cases.sign(d, PASS.clone());
                Envelope queued = Envelope.fromJson(new OutboxRepository(session.database(), clock).pending(10).getFirst().envelope());
                assertThat(queued.sm3()).isEqualTo(signed.sm3());

                Path pdf = out.resolve("决定书 C-EX-01.pdf");
                NoticeService.Printed printed = notices.decisionNotice("C-EX-01", Locale.SIMPLIFIED_CHINESE, pdf);
                assertThat(printed.envelopeSm3()).isEqualTo(signed.sm3());
                assertThat(printed.pages()).isEqualTo(1);
                assertThat(Files.readAllBytes(pdf)).startsWith("%PDF-".getBytes());
                // the fonts are embedded as subsets: the file is a small fraction of the 4 MB CJK font
                assertThat(Files.size(pdf)).isLessThan(100_000);
                try (var s = Files.list(out)) {
                    assertThat(s.map(p -> p.getFileName().toString())).containsExactly("决定书 C-EX-01.pdf"); // no temporary file left
                }
                PdfChecks.Read r = PdfChecks.read(pdf);
                List<String> lines = r.text().lines().map(String::strip).toList();
                // what was written comes back out, Chinese included: the fonts' ToUnicode maps are right
                assertThat(lines).contains("学分互认决定书", "学分银行 · 终身学习成果认定与转换", COMMENT);
                assertThat(r.text()).contains("C-EX-01", "王*", "320102********1234", "会计（专科）", "部分同意", "李审核（审核员）",
                        REASON, g.outcomeId(), "2026.1");
                String flat = r.text().replaceAll("\\s", "");
                assertThat(flat).contains(signed.sm3(), me);
                // the signing time in Beijing time, Chinese date format
                String signedAt = java.time.format.DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm:ss")
                        .withZone(java.time.ZoneId.of("Asia/Shanghai")).format(java.time.Instant.parse(signed.signatures().getFirst().signedAt()));
                assertThat(r.text()).contains(signedAt + "（北京时间）");
                // every font is embedded (subset), none left to the reader's machine
                assertThat(r.fonts()).hasSize(2).allSatisfy(f -> assertThat(f).matches("[A-Z]{6}\\+.+"));
                assertThat(r.embedded()).containsOnly(true);

                // the rendered page carries ink, and its QR code reads back as the envelope's SM3
                assertThat(PdfChecks.inked(r.pages().getFirst())).isGreaterThan(0.01);
                assertThat(PdfChecks.decodeQr(r.pages().getFirst())).isEqualTo(signed.sm3());
                PdfChecks.savePng(r.pages().getFirst(), "notice-decision-zh");

                // the case screen's export (view model, worker work on the calling thread): the message names the file
                var vm = new cn.crb.app.ui.casereview.CaseViewModel(cases, cn.crb.app.ui.common.Background.sameThread(),
                        new cn.crb.app.ui.common.I18n(Locale.SIMPLIFIED_CHINESE), "C-EX-01");
                vm.load();
                assertThat(vm.signedProperty().get()).isTrue();
                assertThat(vm.noticeFileName()).isEqualTo("决定书-C-EX-01.pdf");
                vm.exportNotice(out.resolve(vm.noticeFileName()));
                assertThat(vm.messageProperty().get()).isEqualTo("已导出 决定书-C-EX-01.pdf（1 页，SM3 " + signed.sm3().substring(0, 16) + "…）");
                assertThat(PdfChecks.read(out.resolve("决定书-C-EX-01.pdf")).text()).contains(COMMENT);
                assertThat(out.resolve("决定书-C-EX-01.pdf.part")).doesNotExist();

                // cancelled while it is being written (work on a worker thread): nothing is saved, an older file stays
                Path keep = out.resolve("kept.pdf");
                java.nio.file.Files.writeString(keep, "an older notice");
                try (var bg = cn.crb.app.ui.common.Background.forApplication(Runnable::run)) {
                    var busyVm = new cn.crb.app.ui.casereview.CaseViewModel(cases, bg, new cn.crb.app.ui.common.I18n(Locale.SIMPLIFIED_CHINESE), "C-EX-01");
                    busyVm.load();
                    org.testfx.util.WaitForAsyncUtils.waitFor(30, java.util.concurrent.TimeUnit.SECONDS, () -> busyVm.signedProperty().get());
                    busyVm.exportNotice(keep);
                    busyVm.cancelExport();
                    // the worker thread sets the message when it is done
                    org.testfx.util.WaitForAsyncUtils.waitFor(30, java.util.concurrent.TimeUnit.SECONDS,
                            () -> "已取消导出，未保存任何文件。".equals(busyVm.messageProperty().get()));
                    assertThat(java.nio.file.Files.readString(keep)).isEqualTo("an older notice");
                    assertThat(out.resolve("kept.pdf.part")).doesNotExist();
                }

                // in English on request, the same record
                Path en = out.resolve("notice-en.pdf");
                notices.decisionNotice("C-EX-01", Locale.ENGLISH, en);
                PdfChecks.Read re = PdfChecks.read(en);
                assertThat(re.text()).contains("Credit Recognition Decision Notice", "C-EX-01", "Approve", COMMENT);
                assertThat(PdfChecks.decodeQr(re.pages().getFirst())).isEqualTo(signed.sm3());

                // a font that cannot be embedded is named as such, in both languages
                NoticeService noFont = new NoticeService(session, clock, Map.of("CRB_PRINT_FONT", out.resolve("none.ttf").toString()));
                assertThatThrownBy(() -> noFont.decisionNotice("C-EX-01", Locale.SIMPLIFIED_CHINESE, out.resolve("y.pdf")))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.NOTICE_FONT_MISSING);
                assertThat(out.resolve("y.pdf")).doesNotExist();
                sm3 = signed.sm3();
            }

            // the command line writes the same notice from the profile on disk (the session above is closed)
            Path passFile = out.resolve("pass.txt");
            Files.writeString(passFile, new String(PASS) + "\n");
            Path cliPdf = out.resolve("cli.pdf");
            java.io.StringWriter so = new java.io.StringWriter();
            java.io.StringWriter se = new java.io.StringWriter();
            int exit = cn.crb.app.cli.CrbMain.run(new String[]{"notice", "--home", home.toString(), "--passphrase-file", passFile.toString(),
                    "--case", "C-EX-01", "--out", cliPdf.toString()}, new java.io.PrintWriter(so, true), new java.io.PrintWriter(se, true));
            assertThat(exit).as(se.toString()).isZero();
            assertThat(so.toString()).contains("wrote " + cliPdf, "1 page", sm3);
            assertThat(PdfChecks.decodeQr(PdfChecks.read(cliPdf).pages().getFirst())).isEqualTo(sm3);
            // a case with nothing signed: exit 2, one line saying so
            se.getBuffer().setLength(0);
            exit = cn.crb.app.cli.CrbMain.run(new String[]{"notice", "--home", home.toString(), "--passphrase-file", passFile.toString(),
                    "--case", "C-NONE", "--out", out.resolve("none.pdf").toString()}, new java.io.PrintWriter(so, true), new java.io.PrintWriter(se, true));
            assertThat(exit).isEqualTo(2);
            assertThat(se.toString().strip()).isEqualTo("crb: Case C-NONE has no decision signed on this workstation; sign it before exporting the notice.");
        }
    }
}
