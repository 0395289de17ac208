package cn.crb.app.ui.standards;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.standards.StandardsService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsDiff;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The Standards screen's state, without the toolkit, on bundles signed by the real reference platform. */
class StandardsViewModelTest {
    private static final char[] PASS = "标准浏览 Test-Passphrase 7".toCharArray();

    @Test
    void importsVerifiedBundlesRefusesForgedOnesSearchesAndDiffs(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", "JSOU", "浏览者"),
                    PASS, PASS, "t", s -> { })) {
                // the platform's signed bundles, as a reviewer might receive them on a USB stick
                Path v2026 = home.resolve("2026.1.json");
                Path v2025 = home.resolve("2025.2.json");
                Files.writeString(v2026, get(sim.baseUrl(), "/api/v1/standards/2026.1", session.repository().token().orElseThrow()));
                Files.writeString(v2025, get(sim.baseUrl(), "/api/v1/standards/2025.2", session.repository().token().orElseThrow()));
                ObjectNode forged = (ObjectNode) Json.parse(Files.readString(v2026));
                ((ObjectNode) forged.get("payload")).put("version", "2027.1");
                Path bad = home.resolve("forged.json");
                Files.writeString(bad, Json.write(forged));

                StandardsViewModel vm = new StandardsViewModel(new StandardsService(session, Clock.systemUTC()), Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE));
                vm.load();
                assertThat(vm.versions()).isEmpty();

                vm.importFile(v2026);
                assertThat(vm.messageProperty().get()).contains("2026.1").contains("现行");
                vm.importFile(v2025);
                assertThat(vm.messageProperty().get()).contains("2025.2").contains("旧版本");
                vm.importFile(bad);
                assertThat(vm.messageProperty().get()).startsWith("已拒绝").contains("签名验证失败");

                assertThat(vm.versions()).extracting(r -> r.held().version()).containsExactly("2026.1", "2025.2");
                assertThat(vm.versions().getFirst().current()).isTrue();
                assertThat(vm.label(vm.versions().getFirst())).contains("现行").contains("签名已验证");
                assertThat(vm.selectedProperty().get().held().version()).isEqualTo("2026.1");
                int all = vm.catalogue().size();
                assertThat(all).isGreaterThan(10);
                assertThat(vm.institutions()).anySatisfy(i -> assertThat(i.status().name()).isEqualTo("BLACKLISTED"));

                vm.searchProperty().set("会计");
                assertThat(vm.catalogue()).isNotEmpty().allSatisfy(e -> assertThat(e.code() + e.name()).containsIgnoringCase("会计"));
                assertThat(vm.catalogue().size()).isLessThan(all);
                vm.searchProperty().set("");

                // compared with 2025.2: the annual revision, e.g. the rule JS-R-0001 and the retired catalogue entry
                assertThat(vm.changes()).anySatisfy(c -> {
                    assertThat(c.section()).isEqualTo("conversionRules");
                    assertThat(c.key()).isEqualTo("JS-R-0001");
                    assertThat(c.kind()).isEqualTo(StandardsDiff.Kind.CHANGED);
                });
                assertThat(vm.changes()).anySatisfy(c -> assertThat(c.key()).isEqualTo("AC-GEN-001"));
                vm.compareWithProperty().set(vm.versions().getFirst());
                assertThat(vm.changes()).isEmpty();
            }
        }
    }

    private static String get(URI base, String path, String token) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }
}
