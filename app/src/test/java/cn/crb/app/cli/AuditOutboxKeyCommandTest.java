package cn.crb.app.cli;

import cn.crb.app.cases.CaseService;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.json.Json;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.Tamper;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code crb audit verify}, {@code crb outbox export} and {@code crb key export} on a real profile (enrolled with a
 * platform-sim, synced once, one decision signed through the case service), and the four kinds of tampering with the
 * audit table done directly in the database.
 */
class AuditOutboxKeyCommandTest {
    private static final char[] PASS = "一个足够长的口令 with 7 words".toCharArray();
    @TempDir static Path simDir;
    @TempDir static Path base;
    static PlatformSim sim;
    static Path home;
    static Path passFile;
    static String decisionSm3;
    static String keyId;

    @BeforeAll
    static void profileSyncedWithOneSignedDecision() throws Exception {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        home = base.resolve("home");
        passFile = base.resolve("pass.txt");
        Files.writeString(passFile, new String(PASS) + "\n");
        Clock clock = Clock.systemUTC();
        try (HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.displayName().equals("张明")).findFirst().orElseThrow();
            try (ProfileSession s = profiles.create(sim.baseUrl().toString(), reviewer.enrolmentCode(),
                    PASS.clone(), PASS.clone(), "t", x -> { })) {
                keyId = s.summary().keyId();
            }
            assertThat(ProfileCommandTest.crb("sync", "--home", home.toString(), "--passphrase-file", passFile.toString()).exit()).isZero();
            try (ProfileSession s = profiles.unlock(profiles.list().getFirst().id(), PASS.clone())) {
                CaseService cases = new CaseService(s, profiles, clock);
                Decision d = new CaseRepository(s.database(), clock).inbox().stream()
                        .filter(r -> r.step().equals("REVIEW"))
                        .map(r -> cases.open(r.caseId()).decision())
                        .flatMap(java.util.Optional::stream)
                        .filter(x -> x.problems().isEmpty())
                        .findFirst().orElseThrow();
                decisionSm3 = cases.sign(d, PASS.clone()).sm3();
            }
        }
    }

    @AfterAll
    static void stop() { sim.close(); }

    private static ProfileCommandTest.Result crb(String... args) {
        return ProfileCommandTest.crb(args);
    }

    @Test
    void anIntactChainIsOk() {
        ProfileCommandTest.Result r = crb("audit", "verify", "--home", home.toString(), "--passphrase-file", passFile.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).matches("OK \\d+ entries");
        assertThat(Long.parseLong(r.out().strip().split(" ")[1])).isGreaterThan(10);
    }

    @Test
    void auditVerifyNeedsThePassphrase() {
        ProfileCommandTest.Result r = crb("audit", "verify", "--home", home.toString(), "--passphrase-file", base.resolve("absent").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    /** A copy of the profile home with the audit table tampered with directly in its database. */
    private static Path tampered(Path dir, Consumer<LocalDatabase> tamper) throws Exception {
        Path copy = dir.resolve("home");
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.toList()) {
                Path t = copy.resolve(home.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        try (HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(copy), http, Clock.systemUTC());
            try (ProfileSession s = profiles.unlock(profiles.list().getFirst().id(), PASS.clone())) {
                tamper.accept(s.database());
            }
        }
        return copy;
    }

    private static ProfileCommandTest.Result verify(Path h) {
        return crb("audit", "verify", "--home", h.toString(), "--passphrase-file", passFile.toString());
    }

    @Test
    void aChangedRowIsNamed(@TempDir Path dir) throws Exception {
        ProfileCommandTest.Result r = verify(tampered(dir, db -> Tamper.changeAuditEntry(db, 5)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("BAD entry 5: entry content does not match its hash").contains("the 4 entries before it verify");
    }

    @Test
    void aDeletedRowIsNamed(@TempDir Path dir) throws Exception {
        ProfileCommandTest.Result r = verify(tampered(dir, db -> Tamper.deleteAuditEntry(db, 5)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("BAD entry 6: expected seq 5 but found 6");
    }

    @Test
    void anInsertedRowIsNamed(@TempDir Path dir) throws Exception {
        ProfileCommandTest.Result r = verify(tampered(dir, db -> Tamper.insertAuditEntry(db, 5)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("BAD entry 6: prevHash does not link to the previous entry");
    }

    @Test
    void reorderedRowsAreNamed(@TempDir Path dir) throws Exception {
        ProfileCommandTest.Result r = verify(tampered(dir, db -> Tamper.swapAuditEntries(db, 5, 6)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("BAD entry 5: prevHash does not link to the previous entry");
    }

    @Test
    void exportWritesEachEnvelopeNamedByItsSm3AndAllAddsAcceptedOnesWithReceipts(@TempDir Path dir) throws IOException {
        Path pending = dir.resolve("pending");
        ProfileCommandTest.Result r = crb("outbox", "export", "--home", home.toString(), "--passphrase-file", passFile.toString(),
                "--out", pending.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("exported 1 envelopes and 0 receipts");
        try (Stream<Path> files = Files.list(pending)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly(decisionSm3 + ".json");
        }
        byte[] bytes = Files.readAllBytes(pending.resolve(decisionSm3 + ".json"));
        assertThat(Sm3.hex(bytes)).isEqualTo(decisionSm3);
        Envelope e = Envelope.fromJson(Json.parse(bytes));
        assertThat(e.type()).isEqualTo("creditbank.decision/1");

        Path all = dir.resolve("all");
        ProfileCommandTest.Result ra = crb("outbox", "export", "--all", "--home", home.toString(), "--passphrase-file", passFile.toString(),
                "--out", all.toString());
        assertThat(ra.exit()).isZero();
        List<String> names;
        try (Stream<Path> files = Files.list(all)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names).contains(decisionSm3 + ".json");
        List<String> receipts = names.stream().filter(n -> n.endsWith(".receipt.json")).toList();
        assertThat(receipts).isNotEmpty();
        for (String rn : receipts) {
            String sm3 = rn.substring(0, 64);
            assertThat(names).contains(sm3 + ".json");
            assertThat(Sm3.hex(Files.readAllBytes(all.resolve(sm3 + ".json")))).isEqualTo(sm3);
            assertThat(Json.parse(Files.readAllBytes(all.resolve(rn))).has("inclusionProof")).isTrue();
        }
        assertThat(ra.out()).contains("exported " + (receipts.size() + 1) + " envelopes and " + receipts.size() + " receipts");

        // outbox list still works and shows the queued decision
        ProfileCommandTest.Result list = crb("outbox", "list", "--home", home.toString(), "--passphrase-file", passFile.toString());
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("QUEUED\tcreditbank.decision/1");
    }

    @Test
    void keyExportWritesThePublicKeyOnlyAndOpenSslVerifiesTheExportedDecisionWithIt(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("me.pem");
        ProfileCommandTest.Result r = crb("key", "export", "--home", home.toString(), "--out", pem.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(keyId);
        String text = Files.readString(pem);
        assertThat(text).startsWith("-----BEGIN PUBLIC KEY-----").doesNotContain("PRIVATE");
        assertThat(Sm2.keyId(Sm2.fromPem(text))).isEqualTo(keyId);
        // refuses to overwrite without --force
        assertThat(crb("key", "export", "--home", home.toString(), "--out", pem.toString()).exit()).isEqualTo(2);
        assertThat(crb("key", "export", "--home", home.toString(), "--out", pem.toString(), "--force").exit()).isZero();

        if (!hasOpenSsl()) return;
        Path out = dir.resolve("out");
        assertThat(crb("outbox", "export", "--home", home.toString(), "--passphrase-file", passFile.toString(), "--out", out.toString()).exit()).isZero();
        Envelope e = Envelope.fromJson(Json.parse(Files.readAllBytes(out.resolve(decisionSm3 + ".json"))));
        Envelope.Signature s = e.signatures().getFirst();
        Files.write(dir.resolve("payload.jcs"), e.signingInput(s.role(), s.keyId(), s.signedAt()));
        Files.write(dir.resolve("sig.der"), Base64.getDecoder().decode(s.value()));
        Process p = new ProcessBuilder("openssl", "dgst", "-sm3", "-verify", pem.toString(), "-sigopt", "distid:1234567812345678",
                "-signature", "sig.der", "payload.jcs").directory(dir.toFile()).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(o).contains("Verified OK");
    }

    private static boolean hasOpenSsl() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
