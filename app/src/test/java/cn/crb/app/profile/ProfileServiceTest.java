package cn.crb.app.profile;

import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Profiles against the real reference platform (no mocks): create, unlock, wrong passphrase, throttling. */
class ProfileServiceTest {
    private static final char[] PASS = "审核口令 Correct-Horse 2026".toCharArray();
    @TempDir static Path simDir;
    static PlatformSim sim;
    static HttpTransport http;

    @BeforeAll
    static void startPlatform() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        http = new HttpTransport();
    }

    @AfterAll
    static void stopPlatform() {
        http.close();
        sim.close();
    }

    /** A clock the test moves forward. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-25T08:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private ProfileService service(Path home, Clock clock) {
        return new ProfileService(new WorkstationHome(home), http, clock, 1_000);
    }

    @Test
    void createEnrolsPinsThePlatformKeyAndAudits(@TempDir Path home) throws Exception {
        String code = sim.issueEnrolmentCode("REVIEWER", "JSOU", "测试审核员");
        ProfileService s = service(home, Clock.systemUTC());
        List<ProfileService.Step> steps = new java.util.ArrayList<>();
        try (ProfileSession session = s.create(sim.baseUrl().toString(), code, PASS, PASS, "test", steps::add)) {
            assertThat(session.summary().displayName()).isEqualTo("测试审核员");
            assertThat(session.summary().roles()).containsExactly("REVIEWER");
            assertThat(session.stored().platformKeyId()).isEqualTo(sim.platformKeyId());
            assertThat(session.repository().token()).get().asString().hasSizeGreaterThan(20);
            assertThat(session.repository().verifyAudit().ok()).isTrue();
            assertThat(session.repository().auditEntries()).isEqualTo(2); // key created, enrolled
        }
        assertThat(steps).endsWith(ProfileService.Step.DONE);
        assertThat(s.list()).singleElement().satisfies(p -> assertThat(p.keyId()).hasSize(64));
        // the token is a secret: not in any file in clear
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Bearer");
            }
        }
    }

    @Test
    void refusedCodeWeakPassphraseAndUnreachablePlatformLeaveNothingBehind(@TempDir Path home) {
        ProfileService s = service(home, Clock.systemUTC());
        assertThatThrownBy(() -> s.create(sim.baseUrl().toString(), "EC-0000-0000-0000-0000", PASS, PASS, "t", x -> { }))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.ENROLMENT_REFUSED));
        assertThatThrownBy(() -> s.create(sim.baseUrl().toString(), "x", "short".toCharArray(), "short".toCharArray(), "t", x -> { }))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.PASSPHRASE_WEAK));
        assertThatThrownBy(() -> s.create(sim.baseUrl().toString(), "x", PASS, "other one entirely".toCharArray(), "t", x -> { }))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.PASSPHRASE_MISMATCH));
        assertThatThrownBy(() -> s.create("http://127.0.0.1:9", "x", PASS, PASS, "t", x -> { }))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.PLATFORM_UNREACHABLE));
        assertThat(s.list()).isEmpty();
        assertThat(home.resolve("profiles").toFile().list()).satisfiesAnyOf(l -> assertThat(l).isNull(), l -> assertThat(l).isEmpty());
    }

    @Test
    void aSignInSignsAnAuditCheckpointOnceADayWithThePassphraseJustTyped(@TempDir Path home) throws Exception {
        TestClock clock = new TestClock();
        ProfileService s = service(home, clock);
        String id;
        try (ProfileSession session = s.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", "JSOU", "每日检查点"), PASS, PASS, "t", x -> { })) {
            id = session.summary().id();
        }
        try (ProfileSession session = s.unlock(id, PASS)) {
            var outbox = new cn.crb.localdb.OutboxRepository(session.database(), clock);
            var head = session.repository().auditHead().orElseThrow();
            assertThat(s.checkpointIfDue(session, PASS.clone())).isTrue();
            var queued = outbox.pending(10);
            assertThat(queued).singleElement().satisfies(i -> {
                cn.crb.domain.crypto.Envelope e = cn.crb.domain.crypto.Envelope.fromJson(i.envelope());
                assertThat(e.type()).isEqualTo("creditbank.audit-checkpoint/1");
                assertThat(e.payload().path("seq").asLong()).isEqualTo(head.seq());
                assertThat(e.signatures().getFirst().keyId()).isEqualTo(session.summary().keyId());
            });
            // the same day: nothing more; a key that does not open with what was typed: nothing, and no error
            clock.now = clock.now.plus(Duration.ofHours(20));
            assertThat(s.checkpointIfDue(session, PASS.clone())).isFalse();
            clock.now = clock.now.plus(Duration.ofHours(5));
            assertThat(s.checkpointIfDue(session, "not the passphrase at all 1".toCharArray())).isFalse();
            assertThat(outbox.pending(10)).hasSize(1);
            assertThat(s.checkpointIfDue(session, PASS.clone())).isTrue();
            assertThat(outbox.pending(10)).hasSize(2);
        }
    }

    @Test
    void wrongPassphraseChangesNothingAndRepeatedFailuresAreDelayed(@TempDir Path home) throws Exception {
        TestClock clock = new TestClock();
        ProfileService s = service(home, clock);
        String code = sim.issueEnrolmentCode("CLERK", "TRN-0042", "周经办");
        String id;
        try (ProfileSession session = s.create(sim.baseUrl().toString(), code, PASS, PASS, "t", x -> { })) {
            id = session.summary().id();
        }
        Map<Path, byte[]> before = snapshot(home.resolve("profiles").resolve(id));
        char[] wrong = "not the passphrase at all".toCharArray();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> s.unlock(id, wrong)).isInstanceOfSatisfying(ProfileException.class,
                    e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.WRONG_PASSPHRASE));
        }
        Map<Path, byte[]> after = snapshot(home.resolve("profiles").resolve(id));
        after.remove(Path.of("unlock-state.json"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((p, b) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(b));

        // after three failures even the right passphrase must wait
        assertThat(s.unlockWait(id)).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> s.unlock(id, PASS)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.TOO_MANY_ATTEMPTS));
        clock.now = clock.now.plusSeconds(6);
        assertThatThrownBy(() -> s.unlock(id, wrong)).isInstanceOf(ProfileException.class);
        assertThat(s.unlockWait(id)).isEqualTo(Duration.ofSeconds(10));
        clock.now = clock.now.plusSeconds(11);
        try (ProfileSession session = s.unlock(id, PASS)) {
            assertThat(session.summary().roles()).containsExactly("CLERK");
            assertThat(session.repository().auditEntries()).isEqualTo(3);
        }
        assertThat(s.unlockWait(id)).isZero();
    }

    private static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> m = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".trace.db")).toList()) {
                m.put(dir.relativize(f), Files.readAllBytes(f));
            }
        }
        return m;
    }
}
