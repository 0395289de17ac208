package cn.crb.sim;

import cn.crb.domain.json.Json;
import cn.crb.sim.http.Dispatcher;
import cn.crb.sim.http.Faults;
import cn.crb.sim.http.Router;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The reference platform (platform-sim): a small, real implementation of the platform's HTTP API of contract 04
 * for development, demos and end-to-end tests — <strong>not a production server</strong>. It binds
 * {@code 127.0.0.1} only, keeps its state in its own H2 file database and SM2 key in the data directory, and
 * comes back with the same state and key when started again on the same directory.
 */
public final class PlatformSim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformSim.class);

    /**
     * How to start.
     *
     * @param port            TCP port on 127.0.0.1; 0 for any free port
     * @param dataDir         directory holding the database and the platform key (created if absent)
     * @param seedDemo        seed the demo world (standards 2025.2 and 2026.1, people, cases) on first start
     * @param extraStandards  further standards payload files (JSON) to sign and publish
     * @param tls             serve HTTPS with a self-signed certificate kept in the data directory ({@link #tlsPin()})
     * @param haltOnCrash     an injected crash halts the JVM (the {@code serve} command); otherwise it stops this
     *                        instance abruptly and {@link #crashed()} turns true (tests start it again)
     */
    public record Options(int port, Path dataDir, boolean seedDemo, List<Path> extraStandards, boolean tls, boolean haltOnCrash) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            extraStandards = extraStandards == null ? List.of() : List.copyOf(extraStandards);
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        }

        /** Plain HTTP; a crash stops the instance. */
        public Options(int port, Path dataDir, boolean seedDemo, List<Path> extraStandards) {
            this(port, dataDir, seedDemo, extraStandards, false, false);
        }

        /** The same options on another port (e.g. the port a first start picked, to start again there). */
        public Options withPort(int p) {
            return new Options(p, dataDir, seedDemo, extraStandards, tls, haltOnCrash);
        }

        /** The same options serving HTTPS. */
        public Options withTls() {
            return new Options(port, dataDir, seedDemo, extraStandards, true, haltOnCrash);
        }
    }

    /** A person of the seeded world with an enrolment code that is unused and unexpired at the time of the call. */
    public record DemoPerson(String personId, String displayName, List<String> roles, String institution, String enrolmentCode) {
        public DemoPerson {
            roles = List.copyOf(roles);
        }
    }

    private final Db db;
    private final SimClock clock;
    private final PlatformKey key;
    private final Enrolments enrolments;
    private final HttpServer server;
    private final ExecutorService executor;
    private final TlsIdentity tls;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch crashed = new java.util.concurrent.CountDownLatch(1);

    private PlatformSim(Db db, SimClock clock, PlatformKey key, Enrolments enrolments, HttpServer server, ExecutorService executor, TlsIdentity tls) {
        this.db = db;
        this.clock = clock;
        this.key = key;
        this.enrolments = enrolments;
        this.server = server;
        this.executor = executor;
        this.tls = tls;
    }

    /** Opens (or creates) the data directory, seeds if asked and not yet seeded, and starts serving. */
    public static PlatformSim start(Options options) throws IOException {
        Files.createDirectories(options.dataDir());
        PlatformKey key = PlatformKey.loadOrCreate(options.dataDir());
        Db db;
        try {
            db = Db.open(options.dataDir());
        } catch (SQLException e) {
            throw new IOException("cannot open the simulator database in " + options.dataDir() + ": " + e.getMessage(), e);
        }
        try {
            return wire(options, key, db);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static PlatformSim wire(Options options, PlatformKey key, Db db) throws IOException {
        SimClock clock = new SimClock(db);
        Standards standards = new Standards(db, key, clock);
        Enrolments enrolments = new Enrolments(db, clock, key, (tx, person, at) -> {
            for (String caseId : Cases.casesNamingPerson(tx, person.personId())) Cases.touch(tx, caseId);
        });
        Assignments assignments = new Assignments(db);
        Evidence evidence = new Evidence(db);
        Faults faults = new Faults();

        if (options.seedDemo()) seed(db, clock, standards);
        for (Path p : options.extraStandards()) {
            try {
                standards.add(Json.parse(Files.readAllBytes(p)));
            } catch (Json.MalformedJsonException | IllegalArgumentException | IllegalStateException e) {
                throw new IOException("standards file " + p + ": " + e.getMessage(), e);
            }
        }

        Router router = new Router();
        TransparencyLog log = new TransparencyLog(key);
        Intake intake = new Intake(db, clock, log, new EnvelopeRules(standards));
        Batches batches = new Batches(db, clock, standards, log);
        new ApiRoutes(enrolments, standards, assignments, evidence, intake, new TransparencyLogApi(db, log, clock), batches).register(router);
        new AdminRoutes(enrolments, clock, faults, new CaseAdmin(db, clock, standards), batches).register(router);

        InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), options.port());
        TlsIdentity tls = options.tls() ? TlsIdentity.loadOrCreate(options.dataDir()) : null;
        HttpServer server;
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
            server = https;
        } else {
            server = HttpServer.create(address, 64);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        java.util.concurrent.atomic.AtomicReference<PlatformSim> self = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable crash = () -> {
            if (options.haltOnCrash()) {
                LOG.error("injected fault: the platform crashes now");
                Runtime.getRuntime().halt(70);
            }
            PlatformSim s = self.get();
            if (s != null) Thread.ofPlatform().name("platform-sim-crash").start(s::crashNow);
        };
        server.createContext("/", new Dispatcher(router, faults, crash));
        server.start();
        PlatformSim sim = new PlatformSim(db, clock, key, enrolments, server, executor, tls);
        self.set(sim);
        LOG.info("platform-sim serving {} from {} (platform key {}{})", sim.baseUrl(), options.dataDir(), key.keyId(),
                tls == null ? "" : ", TLS pin " + tls.pin());
        return sim;
    }

    private static void seed(Db db, SimClock clock, Standards standards) {
        boolean seeded = db.tx(tx -> Meta.get(tx, "seeded.demo").isPresent());
        if (seeded) return;
        var current = Standards.demoPayload();
        standards.add(Standards.previousDemoPayload(current));
        standards.add(current);
        Instant now = clock.now();
        db.tx(tx -> {
            DemoPeople.seed(tx, now);
            World.seed(tx, current, now);
            Meta.put(tx, "seeded.demo", now.toString());
            return null;
        });
    }

    /** The base URL, e.g. {@code http://127.0.0.1:43121} ({@code https://} with TLS); the API is under {@code /api/v1}. */
    public URI baseUrl() {
        return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The port served. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * With TLS, the pin of the server's certificate in OkHttp's form {@code sha256/<base64 of the SHA-256 of its
     * SubjectPublicKeyInfo>}; the certificate (and so the pin) is kept in the data directory across restarts.
     */
    public java.util.Optional<String> tlsPin() {
        return tls == null ? java.util.Optional.empty() : java.util.Optional.of(tls.pin());
    }

    /** True once an injected crash has stopped this instance (the server is gone, the database closed). */
    public boolean crashed() {
        return crashed.getCount() == 0;
    }

    /** Waits until an injected crash has stopped this instance; false when it did not within the timeout. */
    public boolean awaitCrash(java.time.Duration timeout) throws InterruptedException {
        return crashed.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** An injected crash: stops serving at once, abandons open exchanges and closes the database (no clean answer). */
    private void crashNow() {
        LOG.warn("injected fault: platform-sim on {} crashes", baseUrl());
        close();
        crashed.countDown();
    }

    /** The seeded people, each with an unused enrolment code (an existing one, or a newly issued one). */
    public List<DemoPerson> demoPeople() {
        Instant now = clock.now();
        return db.tx(tx -> {
            List<DemoPerson> out = new ArrayList<>();
            for (Person p : DemoPeople.all(tx)) {
                out.add(new DemoPerson(p.personId(), p.displayName(), p.roles(), p.institution(), enrolments.usableCode(tx, p.personId(), now)));
            }
            return out;
        });
    }

    /**
     * Issues an enrolment code for a new person holding {@code role} (PANEL_CHAIR also gets PANEL_MEMBER).
     *
     * @param institution institution code, or null
     * @param name        display name, or null for a generated one
     */
    public String issueEnrolmentCode(String role, String institution, String name) {
        return enrolments.issueCodeForNewPerson(role, institution, name);
    }

    /** The platform's key id (SM3 of its SubjectPublicKeyInfo DER). */
    public String platformKeyId() {
        return key.keyId();
    }

    /** Stops the server and closes the database; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        server.stop(0);
        executor.close();
        db.close();
    }
}
