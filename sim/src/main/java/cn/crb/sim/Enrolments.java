package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import cn.crb.sim.http.Problem;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Enrolment codes, enrolment of a person's public key, and bearer tokens.
 * Codes are single-use and expire {@link #CODE_VALIDITY} after issue on the simulated clock; they are kept in
 * clear in the simulator's database (so that {@code demoPeople()} can show an unused one again). Tokens are
 * random 256-bit values, stored only as their SM3.
 */
final class Enrolments {
    static final Duration CODE_VALIDITY = Duration.ofDays(7);
    static final String CODE_INVALID = "ENROLMENT_CODE_INVALID";
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /** Called inside the enrolment's transaction once a key is enrolled (to put key ids on assignments). */
    @FunctionalInterface
    interface Hook {
        void enrolled(Tx tx, Person person, Instant at) throws SQLException;
    }

    private final Db db;
    private final SimClock clock;
    private final PlatformKey platformKey;
    private final Hook hook;
    private final SecureRandom random = new SecureRandom();

    Enrolments(Db db, SimClock clock, PlatformKey platformKey, Hook hook) {
        this.db = db;
        this.clock = clock;
        this.platformKey = platformKey;
        this.hook = hook;
    }

    /** A new person with one role and a fresh code for them. */
    String issueCodeForNewPerson(String role, String institution, String name) {
        if (role == null || !Person.ROLES.contains(role)) {
            throw Problem.badRequest("MALFORMED", "role must be one of " + Person.ROLES + ", was " + role);
        }
        if (institution != null && !institution.matches("[A-Za-z0-9-]{1,32}")) {
            throw Problem.badRequest("MALFORMED", "institution must be an institution code, was " + institution);
        }
        Instant now = clock.now();
        return db.tx(tx -> {
            String display = name == null || name.isBlank() ? defaultName(role, tx.count("SELECT COUNT(*) FROM person") + 1) : name.strip();
            List<String> roles = role.equals("PANEL_CHAIR") ? List.of("PANEL_MEMBER", "PANEL_CHAIR") : List.of(role);
            Person p = Person.create(tx, display, roles, institution, null, now);
            return newCode(tx, p.personId(), now);
        });
    }

    /** A fresh code for an existing person (a further device). */
    String issueCode(String personId) {
        Instant now = clock.now();
        return db.tx(tx -> {
            if (Person.find(tx, personId) == null) throw Problem.notFound("no person " + personId);
            return newCode(tx, personId, now);
        });
    }

    /**
     * A change of roles decided on the platform (where the multi-level approval happens): the person's roles are
     * replaced, every token of theirs is revoked (their workstations are answered 401 and sign in again), and a fresh
     * enrolment code is issued for that; the new roles reach the workstation in the platform-signed profile of that
     * enrolment (contract 03, 04).
     */
    ObjectNode changeRoles(String personId, List<String> roles) {
        if (roles == null || roles.isEmpty()) throw Problem.malformed("roles must name at least one role");
        for (String r : roles) {
            if (!Person.ROLES.contains(r)) throw Problem.malformed("unknown role " + r + " (one of " + new java.util.TreeSet<>(Person.ROLES) + ")");
        }
        List<String> distinct = roles.stream().distinct().toList();
        Instant now = clock.now();
        return db.tx(tx -> {
            if (Person.find(tx, personId) == null) throw Problem.notFound("no person " + personId);
            tx.update("UPDATE person SET roles = ? WHERE person_id = ?", String.join(",", distinct), personId);
            int revoked = tx.update("DELETE FROM token WHERE person_id = ?", personId);
            ObjectNode o = Person.find(tx, personId).toJson();
            o.put("tokensRevoked", revoked);
            o.put("enrolmentCode", newCode(tx, personId, now));
            return o;
        });
    }

    /** An unused, unexpired code of the person, or a new one. */
    String usableCode(Tx tx, String personId, Instant now) throws SQLException {
        Optional<String> existing = tx.one(
                "SELECT code FROM enrolment_code WHERE person_id = ? AND used_at IS NULL AND expires_at > ? ORDER BY issued_at DESC",
                rs -> rs.getString(1), personId, now.atOffset(ZoneOffset.UTC));
        return existing.isPresent() ? existing.get() : newCode(tx, personId, now);
    }

    private String newCode(Tx tx, String personId, Instant now) throws SQLException {
        String code = randomCode();
        tx.update("INSERT INTO enrolment_code (code, person_id, issued_at, expires_at) VALUES (?,?,?,?)",
                code, personId, now.atOffset(ZoneOffset.UTC), now.plus(CODE_VALIDITY).atOffset(ZoneOffset.UTC));
        return code;
    }

    private String randomCode() {
        StringBuilder sb = new StringBuilder("EC");
        for (int g = 0; g < 4; g++) {
            sb.append('-');
            for (int i = 0; i < 4; i++) sb.append(CROCKFORD[random.nextInt(CROCKFORD.length)]);
        }
        return sb.toString();
    }

    private static String defaultName(String role, long n) {
        return switch (role) {
            case "REVIEWER" -> "审核员" + n;
            case "PANEL_MEMBER" -> "专家" + n;
            case "PANEL_CHAIR" -> "专家组长" + n;
            default -> "办事员" + n;
        };
    }

    /** {@code POST /api/v1/enrolments}. */
    ObjectNode enrol(String enrolmentCode, String publicKeyPem, String deviceName) {
        if (enrolmentCode == null || enrolmentCode.isBlank()) throw Problem.malformed("enrolmentCode is required");
        if (publicKeyPem == null || publicKeyPem.isBlank()) throw Problem.malformed("publicKeyPem is required");
        if (deviceName == null || deviceName.isBlank()) throw Problem.malformed("deviceName is required");
        if (deviceName.length() > 200) throw Problem.malformed("deviceName is longer than 200 characters");
        PublicKey key;
        try {
            key = Sm2.fromPem(publicKeyPem);
        } catch (RuntimeException e) {
            throw Problem.malformed("publicKeyPem is not a PEM public key");
        }
        if (!isSm2(key)) {
            throw Problem.malformed("publicKeyPem is not an SM2 (sm2p256v1) public key");
        }
        String keyId = Sm2.keyId(key);
        String code = enrolmentCode.strip().toUpperCase(java.util.Locale.ROOT);
        Instant now = clock.now();
        return db.tx(tx -> {
            record Code(String personId, OffsetDateTime expiresAt, OffsetDateTime usedAt) {}
            Code c = tx.one("SELECT person_id, expires_at, used_at FROM enrolment_code WHERE code = ?",
                    rs -> new Code(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class)), code)
                    .orElseThrow(() -> codeInvalid(400, "unknown enrolment code"));
            if (c.usedAt() != null) throw codeInvalid(410, "the enrolment code has already been used");
            if (!c.expiresAt().toInstant().isAfter(now)) throw codeInvalid(410, "the enrolment code has expired");
            Person person = Person.find(tx, c.personId());
            Optional<String> owner = tx.one("SELECT person_id FROM person_key WHERE key_id = ?", rs -> rs.getString(1), keyId);
            if (owner.isPresent() && !owner.get().equals(person.personId())) {
                throw new Problem(409, "KEY_ALREADY_ENROLLED", "Conflict", "this public key is enrolled for another person");
            }
            tx.update("UPDATE enrolment_code SET used_at = ?, used_by_key = ? WHERE code = ?", now.atOffset(ZoneOffset.UTC), keyId, code);
            if (owner.isEmpty()) {
                tx.update("INSERT INTO person_key (key_id, person_id, public_key_pem, device_name, enrolled_at) VALUES (?,?,?,?,?)",
                        keyId, person.personId(), Sm2.toPem(key), deviceName.strip(), now.atOffset(ZoneOffset.UTC));
            }
            byte[] tokenBytes = new byte[32];
            random.nextBytes(tokenBytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
            tx.update("INSERT INTO token (token_sm3, person_id, key_id, issued_at) VALUES (?,?,?,?)",
                    Sm3.hex(token.getBytes(StandardCharsets.US_ASCII)), person.personId(), keyId, now.atOffset(ZoneOffset.UTC));
            hook.enrolled(tx, person, now);

            ObjectNode profile = person.toJson();
            profile.put("keyId", keyId);
            profile.put("enrolledAt", Envelope.timestamp(now));
            Envelope signed = platformKey.sign("creditbank.profile/1", profile, now);

            ObjectNode out = person.toJson();
            out.put("token", token);
            out.put("platformPublicKeyPem", platformKey.publicKeyPem());
            out.put("platformKeyId", platformKey.keyId());
            out.set("profile", signed.toJson());
            return out;
        });
    }

    private static boolean isSm2(PublicKey key) {
        try {
            var spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded());
            return org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2p256v1.equals(spki.getAlgorithm().getParameters());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Problem codeInvalid(int status, String detail) {
        return new Problem(status, CODE_INVALID, "Enrolment code invalid", detail);
    }

    /** The caller of a request from its {@code Authorization: Bearer} header, or a 401 problem. */
    Principal authenticate(Optional<String> authorization) {
        String h = authorization.orElseThrow(() -> Problem.unauthorized("Authorization: Bearer <token> is required"));
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) throw Problem.unauthorized("Authorization must be a Bearer token");
        String sm3 = Sm3.hex(h.substring(7).strip().getBytes(StandardCharsets.US_ASCII));
        return db.tx(tx -> {
            record T(String personId, String keyId) {}
            T t = tx.one("SELECT person_id, key_id FROM token WHERE token_sm3 = ?", rs -> new T(rs.getString(1), rs.getString(2)), sm3)
                    .orElseThrow(() -> Problem.unauthorized("unknown or revoked token"));
            return new Principal(Person.find(tx, t.personId()), t.keyId());
        });
    }

    /** Public key of an enrolled key id with its person, or null. */
    static EnrolledKey key(Tx tx, String keyId) throws SQLException {
        return tx.one("SELECT k.public_key_pem, p.* FROM person_key k JOIN person p ON p.person_id = k.person_id WHERE k.key_id = ?",
                rs -> new EnrolledKey(keyId, Sm2.fromPem(rs.getString("public_key_pem")), Person.read(rs)), keyId).orElse(null);
    }

    /** Key ids enrolled by a person, oldest first. */
    static List<String> keyIds(Tx tx, String personId) throws SQLException {
        return tx.list("SELECT key_id FROM person_key WHERE person_id = ? ORDER BY enrolled_at, key_id", rs -> rs.getString(1), personId);
    }

    /** An enrolled public key and its holder. */
    record EnrolledKey(String keyId, PublicKey publicKey, Person person) {}
}
