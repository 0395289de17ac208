package cn.crb.app.profile;

import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.localdb.ProfileRepository;
import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.ProfileStore;
import cn.crb.sync.Enrolment;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.PlatformClient;
import cn.crb.sync.PlatformException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;


/**
 * Creates, lists and unlocks profiles in a {@link WorkstationHome}. Every method blocks (key derivation, network,
 * disk): call it from a background task, never from the FX thread.
 *
 * <p>A profile folder holds {@code profile.json} (public summary), {@code keystore.p12} (the SM2 signing key,
 * PBES2-protected by the passphrase), {@code dbkey.json} (the database key wrapped under the passphrase) and
 * {@code db/} (the encrypted H2 database). A profile is built in a temporary folder and moved into place only
 * when complete, so a crash during creation leaves no half profile.
 */
public final class ProfileService {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileService.class);

    private final WorkstationHome home;
    private final HttpTransport http;
    private final Clock clock;
    private final int kdfIterations;

    public ProfileService(WorkstationHome home, HttpTransport http, Clock clock) {
        this(home, http, clock, KeyWrap.DEFAULT_ITERATIONS);
    }

    /** {@code kdfIterations} below the default is for tests only. */
    public ProfileService(WorkstationHome home, HttpTransport http, Clock clock, int kdfIterations) {
        this.home = home;
        this.http = http;
        this.clock = clock;
        this.kdfIterations = kdfIterations;
    }

    public WorkstationHome home() { return home; }

    /** Steps of {@link #create}, reported as they start (for progress display). */
    public enum Step { CHECKING, GENERATING_KEY, PROTECTING_KEY, ENROLLING, CREATING_DATABASE, DONE }

    public List<ProfileSummary> list() {
        List<ProfileSummary> out = new ArrayList<>();
        if (!Files.isDirectory(home.profiles())) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.profiles(), p -> !p.getFileName().toString().startsWith("."))) {
            for (Path p : ds) {
                Path f = p.resolve("profile.json");
                if (Files.isRegularFile(f)) {
                    try {
                        out.add(ProfileSummary.fromJson(Json.parse(Files.readString(f, StandardCharsets.UTF_8))));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("unreadable profile summary {}: {}", f, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list profiles in {}: {}", home.profiles(), e.getMessage());
        }
        out.sort(Comparator.comparing(ProfileSummary::displayName));
        return out;
    }

    public Optional<ProfileSummary> find(String idOrPerson) {
        return list().stream().filter(p -> p.id().equals(idOrPerson) || p.personId().equals(idOrPerson)).findFirst();
    }

    /**
     * First start: checks the passphrase, creates the SM2 key in a new keystore, enrols with the platform, pins its key,
     * creates the encrypted database, and returns the unlocked session. Nothing is left behind if any step fails.
     */
    public ProfileSession create(String platformUrl, String enrolmentCode, char[] passphrase, char[] confirmation,
                                 String deviceName, Consumer<Step> progress) throws ProfileException {
        progress.accept(Step.CHECKING);
        if (confirmation != null && !Arrays.equals(passphrase, confirmation)) {
            throw new ProfileException(ProfileException.Reason.PASSPHRASE_MISMATCH, null, null);
        }
        if (!Passphrases.strength(passphrase).acceptable()) {
            throw new ProfileException(ProfileException.Reason.PASSPHRASE_WEAK, Integer.toString(Passphrases.MIN_LENGTH), null);
        }
        URI url = parseUrl(platformUrl);
        allowed(url);
        progress.accept(Step.GENERATING_KEY);
        KeyPair pair = Sm2.generate();
        String keyId = Sm2.keyId(pair.getPublic());

        Path tmp = home.profiles().resolve(".new-" + UUID.randomUUID());
        byte[] dbKey = KeyWrap.randomKey();
        try {
            // everything local that can fail is done before the single-use code is spent
            progress.accept(Step.PROTECTING_KEY);
            Files.createDirectories(tmp);
            restrict(tmp);
            byte[] p12 = Pkcs12Keystore.create(pair, "crb " + keyId.substring(0, 16), passphrase);
            Files.write(tmp.resolve("keystore.p12"), p12);
            Files.writeString(tmp.resolve("dbkey.json"), Json.pretty(KeyWrap.wrap(dbKey, passphrase, kdfIterations).toJson()));
            LocalDatabase.open(tmp.resolve("db"), dbKey).close();
        } catch (IOException | RuntimeException ex) {
            Arrays.fill(dbKey, (byte) 0);
            deleteQuietly(tmp);
            throw new ProfileException(ProfileException.Reason.STORAGE, ex.getMessage(), ex);
        }

        progress.accept(Step.ENROLLING);
        Enrolment e;
        try {
            e = new PlatformClient(url, http).enrol(enrolmentCode, Sm2.toPem(pair.getPublic()), deviceName);
        } catch (PlatformException ex) {
            Arrays.fill(dbKey, (byte) 0);
            deleteQuietly(tmp);
            throw switch (ex.kind()) {
                case NETWORK, SERVER -> new ProfileException(ProfileException.Reason.PLATFORM_UNREACHABLE, url.toString(), ex);
                case PROTOCOL, UNTRUSTED -> new ProfileException(ProfileException.Reason.PLATFORM_UNTRUSTED, ex.getMessage(), ex);
                case REFUSED, UNAUTHORIZED -> new ProfileException(ProfileException.Reason.ENROLMENT_REFUSED, ex.getMessage(), ex);
            };
        }
        String id = safeId(e.personId());
        Path finalDir = home.profiles().resolve(id);
        if (Files.exists(finalDir)) {
            Arrays.fill(dbKey, (byte) 0);
            deleteQuietly(tmp);
            throw new ProfileException(ProfileException.Reason.PROFILE_EXISTS, e.personId(), null);
        }
        try {
            progress.accept(Step.CREATING_DATABASE);
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            ProfileStore.StoredProfile stored = new ProfileStore.StoredProfile(e.personId(), e.displayName(), e.institution(),
                    e.roles(), keyId, url.toString(), e.platformKeyId(), e.platformPublicKeyPem(), Json.write(e.profile().toJson()), now);
            try (LocalDatabase db = LocalDatabase.open(tmp.resolve("db"), dbKey)) {
                new ProfileRepository(db, clock).saveEnrolment(stored, e.token(),
                        Json.object().put("alg", "SM2").put("keystore", "PKCS12/PBES2"), e.profile().payload());
            }
            ProfileSummary summary = new ProfileSummary(id, e.personId(), e.displayName(), e.institution(), e.roles(), keyId,
                    url.toString(), e.platformKeyId(), now.toInstant().toString());
            Files.writeString(tmp.resolve("profile.json"), Json.pretty(summary.toJson()));
            Files.move(tmp, finalDir, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("profile {} created (key {})", id, keyId.substring(0, 12));
            ProfileSession s = openSession(summary, dbKey);
            progress.accept(Step.DONE);
            return s;
        } catch (IOException | RuntimeException ex) {
            deleteQuietly(tmp);
            throw new ProfileException(ProfileException.Reason.STORAGE, ex.getMessage(), ex);
        } finally {
            Arrays.fill(dbKey, (byte) 0); // also when opening the new profile fails
        }
    }

    /** The outcome of signing in again: the session as the platform now describes the person, and the roles before. */
    public record Renewal(ProfileSession session, List<String> rolesBefore) {
        public boolean rolesChanged() {
            return !new java.util.TreeSet<>(rolesBefore).equals(new java.util.TreeSet<>(session.summary().roles()));
        }
    }

    /**
     * Signs this workstation in again after the platform revoked its token (a sync ended in REENROL_NEEDED, e.g. after
     * a change of roles): enrols the profile's existing key with a fresh code. The answer must come from the pinned
     * platform key and restate this person and key; then the new token and the roles of the platform-signed profile
     * are stored with their audit entries (ROLE_CHANGE_RECEIVED when the roles changed), and profile.json follows.
     * The outbox, drafts and keys are untouched. Returns the session to carry on with (same database).
     */
    public Renewal renew(ProfileSession session, String enrolmentCode, String deviceName) throws ProfileException {
        ProfileSummary old = session.summary();
        URI url = parseUrl(old.platformUrl());
        allowed(url);
        String pem = Sm2.toPem(publicKey(old.id()));
        Enrolment e;
        try {
            e = new PlatformClient(url, http).enrol(enrolmentCode, pem, deviceName);
        } catch (PlatformException ex) {
            throw switch (ex.kind()) {
                case NETWORK, SERVER -> new ProfileException(ProfileException.Reason.PLATFORM_UNREACHABLE, url.toString(), ex);
                case PROTOCOL, UNTRUSTED -> new ProfileException(ProfileException.Reason.PLATFORM_UNTRUSTED, ex.getMessage(), ex);
                case REFUSED, UNAUTHORIZED -> new ProfileException(ProfileException.Reason.ENROLMENT_REFUSED, ex.getMessage(), ex);
            };
        }
        ProfileStore.StoredProfile held = session.stored();
        if (!e.platformKeyId().equals(held.platformKeyId()) || !e.platformPublicKeyPem().strip().equals(held.platformPublicKeyPem().strip())) {
            LOG.error("PLATFORM NOT TRUSTED: a renewal was answered under key {} instead of the pinned {}", e.platformKeyId(), held.platformKeyId());
            throw new ProfileException(ProfileException.Reason.PLATFORM_UNTRUSTED, "the platform answered with another key than the pinned one", null);
        }
        if (!e.personId().equals(old.personId())) {
            throw new ProfileException(ProfileException.Reason.ENROLMENT_REFUSED, "the code belongs to another person (" + e.personId() + ")", null);
        }
        ProfileStore.StoredProfile stored = new ProfileStore.StoredProfile(e.personId(), e.displayName(), e.institution(), e.roles(),
                old.keyId(), old.platformUrl(), held.platformKeyId(), held.platformPublicKeyPem(), Json.write(e.profile().toJson()),
                held.enrolledAt());
        ProfileSummary summary = new ProfileSummary(old.id(), e.personId(), e.displayName(), e.institution(), e.roles(), old.keyId(),
                old.platformUrl(), old.platformKeyId(), old.createdAt());
        Path dir = home.profiles().resolve(old.id());
        try {
            session.repository().renewEnrolment(stored, e.token(), e.profile().payload());
            Path tmp = dir.resolve("profile.json.new");
            Files.writeString(tmp, Json.pretty(summary.toJson()));
            Files.move(tmp, dir.resolve("profile.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException ex) {
            throw new ProfileException(ProfileException.Reason.STORAGE, ex.getMessage(), ex);
        }
        LOG.info("profile {} signed in again; roles {} -> {}", old.id(), old.roles(), e.roles());
        return new Renewal(new ProfileSession(summary, stored, session.database(), session.repository(), dir), old.roles());
    }

    /** Time to wait before the next unlock attempt of this profile is allowed. */
    public Duration unlockWait(String profileId) {
        return new UnlockThrottle(home.profiles().resolve(profileId), clock).waitRemaining();
    }

    /**
     * Which of two candidate passphrases opens the profile's database key ({@code primary} when neither does, so that
     * the unlock then says the passphrase is wrong, once): for a passphrase file an earlier version read otherwise. Trying
     * them is not an unlock attempt and counts towards no pause, but none is tried while a pause is in force (the unlock
     * then says so), and both are always tried, so that the time taken does not tell which one opened it.
     */
    public char[] choosePassphrase(String profileId, char[] primary, char[] alternative) {
        if (!unlockWait(profileId).isZero()) return primary;
        Path f = home.profiles().resolve(profileId).resolve("dbkey.json");
        KeyWrap.Wrapped w;
        try {
            w = KeyWrap.Wrapped.fromJson(Json.parse(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return primary;
        }
        char[] opened = null;
        for (char[] candidate : new char[][]{primary, alternative}) {
            try {
                Arrays.fill(KeyWrap.unwrap(w, candidate), (byte) 0);
                if (opened == null) opened = candidate;
            } catch (KeyWrap.WrongPassphraseException wrong) {
                // the other one
            } catch (RuntimeException e) {
                return primary;
            }
        }
        return opened == null ? primary : opened;
    }

    /** Later starts: opens the profile's database with the passphrase. Wrong passphrase: nothing changes but the attempt counter. */
    public ProfileSession unlock(String profileId, char[] passphrase) throws ProfileException {
        ProfileSummary summary = find(profileId).orElseThrow(() -> new ProfileException(ProfileException.Reason.PROFILE_UNKNOWN, profileId, null));
        Path dir = home.profiles().resolve(summary.id());
        UnlockThrottle throttle = new UnlockThrottle(dir, clock);
        Duration wait = throttle.waitRemaining();
        if (!wait.isZero()) {
            throw new ProfileException(ProfileException.Reason.TOO_MANY_ATTEMPTS, Long.toString(Math.max(1, wait.toSeconds())), null);
        }
        byte[] dbKey;
        try {
            KeyWrap.Wrapped w = KeyWrap.Wrapped.fromJson(Json.parse(Files.readString(dir.resolve("dbkey.json"), StandardCharsets.UTF_8)));
            dbKey = KeyWrap.unwrap(w, passphrase);
        } catch (KeyWrap.WrongPassphraseException e) {
            throttle.recordFailure();
            LOG.info("wrong passphrase for profile {} ({} failures in a row)", summary.id(), throttle.failures());
            throw new ProfileException(ProfileException.Reason.WRONG_PASSPHRASE, null, e);
        } catch (IOException | RuntimeException e) {
            throw new ProfileException(ProfileException.Reason.STORAGE, e.getMessage(), e);
        }
        throttle.reset();
        try {
            ProfileSession s = openSession(summary, dbKey);
            s.repository().recordUnlock(summary.keyId(), summary.personId(), Json.object().put("at", Instant.now(clock).toString()));
            return s;
        } finally {
            Arrays.fill(dbKey, (byte) 0);
        }
    }

    /**
     * The profile's public signing key, read from its keystore's certificate without the passphrase, and checked to be
     * the enrolled key (its key id must be the one in the profile summary).
     */
    public java.security.PublicKey publicKey(String profileId) throws ProfileException {
        ProfileSummary summary = find(profileId).orElseThrow(() -> new ProfileException(ProfileException.Reason.PROFILE_UNKNOWN, profileId, null));
        Path f = home.profiles().resolve(summary.id()).resolve("keystore.p12");
        java.security.PublicKey key;
        try {
            key = Pkcs12Keystore.publicKey(Files.readAllBytes(f));
        } catch (IOException | RuntimeException e) {
            throw new ProfileException(ProfileException.Reason.STORAGE, e.getMessage(), e);
        }
        if (!cn.crb.domain.crypto.Sm2.keyId(key).equals(summary.keyId())) {
            throw new ProfileException(ProfileException.Reason.STORAGE, "the keystore holds another key than the enrolled one", null);
        }
        return key;
    }

    /** How old the newest audit checkpoint may be before a sign-in on the screen signs another (contract 06: daily). */
    public static final Duration CHECKPOINT_AGE = Duration.ofDays(1);

    /**
     * At a sign-in on the workstation's screen: when no audit checkpoint was queued within {@link #CHECKPOINT_AGE}
     * (contract 06: at every sync a person signs for, and at least daily while in use; the ten-minute sync runs
     * without the key), opens the signing key with the passphrase just used and queues a checkpoint of the chain's
     * head, sent by the next sync. Returns whether one was queued. Nothing here may keep the person from working: a
     * key that does not open with it, or any other failure, is logged and the sign-in goes on.
     */
    public boolean checkpointIfDue(ProfileSession session, char[] passphrase) {
        try {
            var outbox = new cn.crb.localdb.OutboxRepository(session.database(), clock);
            if (!outbox.checkpointDue(CHECKPOINT_AGE)) return false;
            Pkcs12Keystore.Unlocked key = openSigningKey(session.summary().id(), passphrase);
            if (!key.keyId().equals(session.summary().keyId())) return false;
            return outbox.queueCheckpoint(key.privateKey(), key.publicKey(), session.stored().roles().getFirst(), key.keyId(),
                    CHECKPOINT_AGE).isPresent();
        } catch (ProfileException | RuntimeException e) {
            LOG.warn("no audit checkpoint at sign-in: {}", e.toString());
            return false;
        }
    }

    /** Opens the signing key (asks for the passphrase again: signing is a deliberate act). */
    public Pkcs12Keystore.Unlocked openSigningKey(String profileId, char[] passphrase) throws ProfileException {
        Path f = home.profiles().resolve(profileId).resolve("keystore.p12");
        try {
            return Pkcs12Keystore.open(Files.readAllBytes(f), passphrase);
        } catch (Pkcs12Keystore.WrongPassphraseException e) {
            throw new ProfileException(ProfileException.Reason.WRONG_PASSPHRASE, null, e);
        } catch (Pkcs12Keystore.MismatchedKeyException e) {
            throw new ProfileException(ProfileException.Reason.KEYSTORE_MISMATCHED, f.getFileName().toString(), e);
        } catch (IOException | RuntimeException e) {
            throw new ProfileException(ProfileException.Reason.STORAGE, e.getMessage(), e);
        }
    }

    private ProfileSession openSession(ProfileSummary summary, byte[] dbKey) throws ProfileException {
        Path dir = home.profiles().resolve(summary.id());
        try {
            LocalDatabase db = LocalDatabase.open(dir.resolve("db"), dbKey);
            ProfileRepository repo = new ProfileRepository(db, clock);
            ProfileStore.StoredProfile stored = repo.load()
                    .orElseThrow(() -> new IllegalStateException("profile database holds no enrolment"));
            return new ProfileSession(summary, stored, db, repo, dir);
        } catch (LocalDatabase.InUseException e) {
            throw new ProfileException(ProfileException.Reason.PROFILE_IN_USE, null, e);
        } catch (RuntimeException e) {
            throw new ProfileException(ProfileException.Reason.STORAGE, e.getMessage(), e);
        }
    }

    /**
     * Whether this workstation may talk to the platform at all: plain HTTP only on loopback (the demo), HTTPS only with
     * the certificate's pins configured (PlatformSettings). Checked before a key is made or a code is spent.
     */
    private void allowed(URI url) throws ProfileException {
        try {
            http.check(url);
        } catch (IllegalArgumentException e) {
            throw new ProfileException("https".equalsIgnoreCase(url.getScheme()) ? ProfileException.Reason.PLATFORM_PINS_MISSING
                    : ProfileException.Reason.PLATFORM_PLAIN_HTTP, url.toString(), e);
        }
    }

    private static URI parseUrl(String s) throws ProfileException {
        try {
            URI u = new URI(s == null ? "" : s.trim());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new ProfileException(ProfileException.Reason.PLATFORM_URL_INVALID, s, null);
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ProfileException(ProfileException.Reason.PLATFORM_URL_INVALID, s, e);
        }
    }

    static String safeId(String personId) {
        String s = personId.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "p" + s : s;
    }

    private static void restrict(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system (Windows): the user profile's ACLs apply
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover .new-* folder is ignored by list()
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
