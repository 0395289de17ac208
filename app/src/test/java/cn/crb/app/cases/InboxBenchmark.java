package cn.crb.app.cases;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.app.ui.inbox.InboxViewModel;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.StandardsRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How the inbox behaves with many cached cases (a harness, not a test): a fresh encrypted profile, N cases (default
 * 50,000, cloned from the seven worked examples with their own ids, steps and clocks) applied in pages of 500 as a
 * pull would, then the inbox computed the first time (recommendations evaluated and stored) and again (from the
 * stored totals), and the view model's search and step filter over all of them. Figures go to docs/performance.md.
 * <p>With {@code -Dinbox.home=DIR} the workstation home is made in DIR and kept (its profile's passphrase is
 * {@code -Dinbox.pass}, default {@code inbox-bench-2026}), for scripts/measure-startup.sh --unlock: the GUI unlocked on
 * a profile holding N cached cases with their recommendations stored.
 */
public final class InboxBenchmark {
    private static final List<String> STEPS = List.of("REVIEW", "REVIEW", "REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "INSPECTION");

    private InboxBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        String keep = System.getProperty("inbox.home");
        Path dir = keep == null ? Files.createTempDirectory("crb-inbox-bench") : Files.createDirectories(Path.of(keep));
        Clock clock = Clock.systemUTC();
        char[] pass = (keep == null ? "收件箱基准 Benchmark 2026" : System.getProperty("inbox.pass", "inbox-bench-2026")).toCharArray();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0,
                (keep == null ? dir : Files.createTempDirectory("crb-inbox-sim")).resolve("sim"), true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(WorkstationHome.resolve(keep == null ? dir.resolve("home") : dir, Map.of()), http, clock, 1000);
            PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
            try (ProfileSession s = profiles.create(sim.baseUrl().toString(), reviewer.enrolmentCode(), pass.clone(), pass.clone(), "bench", x -> { })) {
                String me = s.summary().keyId();
                new StandardsRepository(s.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")), null, me);
                List<JsonNode> examples = new ArrayList<>();
                for (int i = 1; i <= 7; i++) examples.add(res("/examples/cases/C-EX-0" + i + ".json"));
                CaseRepository cases = new CaseRepository(s.database(), clock);
                Random r = new Random(20261125);
                Instant now = Instant.now();
                long t0 = System.nanoTime();
                for (int from = 0; from < n; from += 500) {
                    List<CaseRepository.Assignment> page = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + 500); i++) {
                        ObjectNode c = ((ObjectNode) examples.get(i % 7)).deepCopy();
                        String id = String.format("C-2026-%06d", i + 1);
                        c.put("caseId", id).put("revision", 1).put("step", STEPS.get(r.nextInt(STEPS.size())))
                                .put("stepStartedAt", now.minus(r.nextInt(20 * 24 * 60), ChronoUnit.MINUTES).toString());
                        c.remove("expected");
                        page.add(new CaseRepository.Assignment(false, id, c));
                    }
                    cases.applyPage(page, "cursor-" + from, me);
                }
                long applyMs = (System.nanoTime() - t0) / 1_000_000;

                InboxService inbox = new InboxService(s, clock);
                long t1 = System.nanoTime();
                InboxService.Snapshot snap = inbox.snapshot();
                long firstMs = (System.nanoTime() - t1) / 1_000_000;
                long tc = System.nanoTime();
                int computed = 0;
                for (int from = 0; from < snap.missing().size(); from += 2_000) {
                    computed += inbox.computeRecommendations(snap.missing().subList(from, Math.min(snap.missing().size(), from + 2_000))).size();
                }
                long computeMs = (System.nanoTime() - tc) / 1_000_000;
                long t2 = System.nanoTime();
                int second = inbox.snapshot().items().size();
                long secondMs = (System.nanoTime() - t2) / 1_000_000;

                InboxViewModel vm = new InboxViewModel(inbox, Background.sameThread(), new I18n(Locale.SIMPLIFIED_CHINESE));
                long t3 = System.nanoTime();
                vm.load();
                long vmMs = (System.nanoTime() - t3) / 1_000_000;
                long t4 = System.nanoTime();
                vm.searchProperty().set("C-2026-0421");
                int found = vm.items().size();
                long searchMs = (System.nanoTime() - t4) / 1_000_000;
                long t5 = System.nanoTime();
                vm.searchProperty().set("");
                vm.stepProperty().set("CONVERSION");
                int conversion = vm.items().size();
                long stepMs = (System.nanoTime() - t5) / 1_000_000;

                System.out.printf(Locale.ROOT, "cases %d: applied in pages of 500 in %d ms (%.0f cases/s)%n", n, applyMs, n * 1000.0 / Math.max(1, applyMs));
                System.out.printf(Locale.ROOT, "inbox list shown after the pull: %d cases in %d ms (%d recommendations still to compute)%n",
                        snap.items().size(), firstMs, snap.missing().size());
                System.out.printf(Locale.ROOT, "recommendations computed and stored in the background, in steps of 2,000: %d in %d ms (%.0f cases/s)%n",
                        computed, computeMs, computed * 1000.0 / Math.max(1, computeMs));
                System.out.printf(Locale.ROOT, "inbox list again (all totals stored): %d cases in %d ms%n", second, secondMs);
                System.out.printf(Locale.ROOT, "view model load (read, sorted by time left, search keys): %d ms%n", vmMs);
                System.out.printf(Locale.ROOT, "search 'C-2026-0421': %d rows in %d ms; step filter CONVERSION: %d rows in %d ms%n",
                        found, searchMs, conversion, stepMs);
            }
        }
    }

    private static JsonNode res(String p) throws Exception {
        try (InputStream in = InboxBenchmark.class.getResourceAsStream(p)) { return Json.parse(in.readAllBytes()); }
    }
}
