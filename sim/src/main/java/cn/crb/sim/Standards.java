package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The signed standards bundles ({@code creditbank.standards/1}). A payload is signed by the platform once, when
 * it is first added, and the envelope is stored: serving the same version with other bytes later would be
 * equivocation, so adding a different payload under a version already held is refused.
 */
final class Standards {
    static final String TYPE = "creditbank.standards/1";
    static final String DEMO_RESOURCE = "/cn/crb/sim/standards-2026.1.json";

    /** One row of {@code GET /api/v1/standards}. */
    record Listed(String version, LocalDate effectiveFrom, String sm3) {}

    private final Db db;
    private final PlatformKey key;
    private final SimClock clock;

    Standards(Db db, PlatformKey key, SimClock clock) {
        this.db = db;
        this.key = key;
        this.clock = clock;
    }

    /** The demo bundle 2026.1, exactly as in {@code examples/standards-2026.1.json}. */
    static ObjectNode demoPayload() {
        try (InputStream in = Standards.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + DEMO_RESOURCE);
            return (ObjectNode) Json.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The older version 2025.2 derived from 2026.1: in force 2025-07-01..2025-12-31; AC-GEN-001 not yet retired;
     * TRN-0077 not yet blacklisted; JS-R-0001 capped at 2 credits instead of 3; no Web front-end senior level.
     */
    static ObjectNode previousDemoPayload(ObjectNode current) {
        ObjectNode p = current.deepCopy();
        p.put("version", "2025.2");
        p.put("effectiveFrom", "2025-07-01");
        p.put("effectiveUntil", "2025-12-31");
        p.put("supersedes", "2025.1");
        for (JsonNode c : p.withArray("catalogue")) {
            if ("AC-GEN-001".equals(c.path("code").asText())) {
                ((ObjectNode) c).put("status", "ACTIVE");
                ((ObjectNode) c).putNull("retiredOn");
            }
        }
        for (JsonNode i : p.withArray("institutions")) {
            if ("TRN-0077".equals(i.path("code").asText())) ((ObjectNode) i).put("status", "ACTIVE");
        }
        for (JsonNode r : p.withArray("conversionRules")) {
            if ("JS-R-0001".equals(r.path("id").asText())) ((ObjectNode) r).put("maxCredits", "2");
        }
        ArrayNode eq = p.withObject("vocational").withArray("equivalences");
        for (int i = eq.size() - 1; i >= 0; i--) {
            if ("WEB-FE-1X".equals(eq.get(i).path("certificateCode").asText()) && "SENIOR".equals(eq.get(i).path("level").asText())) eq.remove(i);
        }
        return p;
    }

    /**
     * Adds a payload: signs and stores it if the version is new; does nothing if the same payload is already held;
     * refuses ({@link IllegalStateException}) a different payload under a version already held.
     */
    void add(JsonNode payload) {
        if (payload == null || !payload.isObject()) throw new IllegalArgumentException("a standards payload must be a JSON object");
        String version = payload.path("version").asText("");
        if (!version.matches("\\d{4}\\.\\d+")) throw new IllegalArgumentException("standards version must look like 2026.1, was '" + version + "'");
        LocalDate from;
        try {
            from = LocalDate.parse(payload.path("effectiveFrom").asText(""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("standards " + version + ": effectiveFrom must be a date YYYY-MM-DD");
        }
        String payloadSm3 = Sm3.hex(Json.canonical(payload));
        Instant now = clock.now();
        db.tx(tx -> {
            Optional<String> held = tx.one("SELECT payload_sm3 FROM standards WHERE version = ?", rs -> rs.getString(1), version);
            if (held.isPresent()) {
                if (held.get().equals(payloadSm3)) return null;
                throw new IllegalStateException("standards " + version + " is already published with different content; refusing to equivocate");
            }
            Envelope env = key.sign(TYPE, payload, now);
            tx.update("INSERT INTO standards (version, effective_from, sm3, payload_sm3, envelope) VALUES (?,?,?,?,?)",
                    version, from, env.sm3(), payloadSm3, Json.write(env.toJson()));
            return null;
        });
    }

    /** Every version, oldest first (versions compare as (year, revision)). */
    List<Listed> list() {
        return db.tx(tx -> tx.list("SELECT version, effective_from, sm3 FROM standards",
                        rs -> new Listed(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getString(3))))
                .stream().sorted(Comparator.comparing(Listed::version, Standards::compareVersions)).toList();
    }

    Optional<JsonNode> envelope(String version) {
        return db.tx(tx -> tx.one("SELECT envelope FROM standards WHERE version = ?", rs -> Json.parse(rs.getString(1)), version));
    }

    /** The payload of a version held, or empty. */
    Optional<JsonNode> payload(String version) {
        return envelope(version).map(e -> e.get("payload"));
    }

    boolean has(Tx tx, String version) throws SQLException {
        return tx.count("SELECT COUNT(*) FROM standards WHERE version = ?", version) > 0;
    }

    /** The newest version in force on {@code day}, or empty. */
    Optional<JsonNode> inForce(LocalDate day) {
        JsonNode best = null;
        for (Listed l : list()) {
            if (l.effectiveFrom().isAfter(day)) continue;
            JsonNode p = payload(l.version()).orElseThrow();
            String until = p.path("effectiveUntil").asText("");
            if (!until.isEmpty() && !"null".equals(until) && LocalDate.parse(until).isBefore(day)) continue;
            best = p;
        }
        return Optional.ofNullable(best);
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    ArrayNode listJson() {
        ArrayNode a = Json.mapper().createArrayNode();
        for (Listed l : list()) {
            ObjectNode o = a.addObject();
            o.put("version", l.version());
            o.put("effectiveFrom", l.effectiveFrom().toString());
            o.put("sm3", l.sm3());
        }
        return a;
    }
}
