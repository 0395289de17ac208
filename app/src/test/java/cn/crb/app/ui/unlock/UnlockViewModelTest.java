package cn.crb.app.ui.unlock;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.crypto.Envelope;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The sign-in screen's view model: the first sign-in of a day also signs the day's audit checkpoint (contract 06). */
class UnlockViewModelTest {
    private static final String PASS = "每日登录口令 Daily-Sign-In 2026";

    @Test
    void theFirstSignInOfTheDayQueuesAnAuditCheckpointAndTheNextDoesNot(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            String keyId;
            try (ProfileSession created = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", "JSOU", "登录"),
                    PASS.toCharArray(), PASS.toCharArray(), "t", s -> { })) {
                keyId = created.summary().keyId();
                assertThat(new OutboxRepository(created.database(), Clock.systemUTC()).pending(10)).as("none at enrolment").isEmpty();
            }
            List<ProfileSession> opened = new ArrayList<>();
            UnlockViewModel vm = new UnlockViewModel(profiles, Background.sameThread(), new I18n(Locale.SIMPLIFIED_CHINESE), opened::add);
            vm.passphraseProperty().set(PASS);
            vm.unlock();
            assertThat(opened).hasSize(1);
            assertThat(vm.passphraseProperty().get()).isEmpty();
            try (ProfileSession session = opened.getFirst()) {
                List<OutboxRepository.Item> queued = new OutboxRepository(session.database(), Clock.systemUTC()).pending(10);
                assertThat(queued).singleElement().satisfies(i -> {
                    Envelope e = Envelope.fromJson(i.envelope());
                    assertThat(e.type()).isEqualTo("creditbank.audit-checkpoint/1");
                    assertThat(e.signatures().getFirst().keyId()).isEqualTo(keyId);
                    assertThat(e.payload().path("seq").asLong()).isPositive();
                });
            }
            // signed in again the same day: no second checkpoint
            vm.passphraseProperty().set(PASS);
            vm.unlock();
            assertThat(opened).hasSize(2);
            try (ProfileSession session = opened.getLast()) {
                assertThat(new OutboxRepository(session.database(), Clock.systemUTC()).pending(10)).hasSize(1);
                assertThat(session.repository().verifyAudit().ok()).isTrue();
            }
        }
    }
}
