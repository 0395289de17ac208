package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.ProfileRepository;
import cn.crb.localdb.ProfileStore;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;

/** A workstation for tests: an enrolled key, its encrypted database, and a sync engine against a platform-sim. */
record Station(Path dbDir, byte[] dbKey, LocalDatabase db, KeyPair keys, String keyId, String personId, String role,
               URI platform, HttpTransport http) implements AutoCloseable {

    static final Backoff.Policy FAST = new Backoff.Policy(Duration.ofMillis(5), Duration.ofMillis(100), 40, Duration.ofSeconds(5));

    /** Enrols the demo reviewer 张明 (or the first person with {@code role}) and creates the local database. */
    static Station enrol(PlatformSim sim, Path dir, String displayName) throws Exception {
        PlatformSim.DemoPerson p = sim.demoPeople().stream().filter(x -> x.displayName().equals(displayName)).findFirst().orElseThrow();
        return enrolWithCode(sim.baseUrl(), p.enrolmentCode(), p.roles().getFirst(), dir);
    }

    static Station enrolWithCode(URI url, String code, String role, Path dir) throws Exception {
        return enrolWithTransport(url, code, role, dir, new HttpTransport());
    }

    /** As {@link #enrolWithCode} over the given transport (e.g. a pinned one); the station closes it. */
    static Station enrolWithTransport(URI url, String code, String role, Path dir, HttpTransport http) throws Exception {
        KeyPair keys = Sm2.generate();
        Enrolment e = new PlatformClient(url, http).enrol(code, Sm2.toPem(keys.getPublic()), "test station");
        byte[] dbKey = KeyWrap.randomKey();
        Path dbDir = dir.resolve("db");
        LocalDatabase db = LocalDatabase.open(dbDir, dbKey);
        String keyId = Sm2.keyId(keys.getPublic());
        ProfileStore.StoredProfile stored = new ProfileStore.StoredProfile(e.personId(), e.displayName(), e.institution(), e.roles(),
                keyId, url.toString(), e.platformKeyId(), e.platformPublicKeyPem(), Json.write(e.profile().toJson()),
                OffsetDateTime.now(ZoneOffset.UTC));
        new ProfileRepository(db, Clock.systemUTC()).saveEnrolment(stored, e.token(), Json.object().put("alg", "SM2"), e.profile().payload());
        return new Station(dbDir, dbKey, db, keys, keyId, e.personId(), role, url, http);
    }

    SyncEngine engine() {
        return new SyncEngine(db, new PlatformClient(platform, http), Clock.systemUTC(), new Random(7), Backoff.Sleeper.REAL);
    }

    SyncOptions options() {
        return SyncOptions.defaults().withBackoff(FAST);
    }

    SyncOptions.Signer signer() {
        return new SyncOptions.Signer(keys.getPrivate(), keys.getPublic(), role);
    }

    SyncReport sync() {
        return engine().run(options(), ProgressListener.NONE, CancellationToken.none());
    }

    /**
     * A signed audit checkpoint of the chain's current head: a cheap, always-acceptable envelope for volume tests, and a
     * true one (the audit verification checks every checkpoint held against the chain). {@code n} only shifts its time.
     */
    Envelope checkpoint(long n) {
        cn.crb.domain.audit.AuditEntry head = new ProfileRepository(db, Clock.systemUTC()).auditHead().orElseThrow();
        ObjectNode p = Json.object().put("seq", head.seq()).put("hash", head.hash())
                .put("at", Envelope.timestamp(Instant.now().plusMillis(n)));
        return Envelope.unsigned(SyncEngine.CHECKPOINT, p).sign(keys.getPrivate(), keys.getPublic(), role, Instant.now());
    }

    @Override
    public void close() {
        db.close();
        http.close();
    }
}
