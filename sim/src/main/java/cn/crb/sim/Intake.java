package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import cn.crb.sim.http.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/envelopes}: verifies and applies a batch of signed envelopes in one transaction, appends the
 * accepted ones to the transparency log, signs one tree head for the batch and answers a receipt per accepted item.
 * The answer is stored under (person, Idempotency-Key) with the SM3 of the body's canonical JSON: the same key with
 * the same body returns the stored answer; the same key with another body is a 422 problem.
 */
final class Intake {
    static final int MAX_ITEMS = 500;

    private final Db db;
    private final SimClock clock;
    private final TransparencyLog log;
    private final EnvelopeRules rules;

    Intake(Db db, SimClock clock, TransparencyLog log, EnvelopeRules rules) {
        this.db = db;
        this.clock = clock;
        this.log = log;
        this.rules = rules;
    }

    /** Returns the answer's JSON text (stored verbatim for idempotent replays). */
    String submit(Principal who, Optional<String> idempotencyKey, JsonNode body) {
        String key = idempotencyKey.map(String::strip).filter(k -> !k.isEmpty())
                .orElseThrow(() -> new Problem(400, "IDEMPOTENCY_KEY_REQUIRED", "Bad request", "the Idempotency-Key header is required"));
        if (key.length() > 200) throw Problem.malformed("Idempotency-Key is longer than 200 characters");
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) throw Problem.malformed("items must be an array of envelopes");
        if (items.size() > MAX_ITEMS) throw new Problem(413, "TOO_MANY_ITEMS", "Too many items", "at most " + MAX_ITEMS + " envelopes per request, got " + items.size());
        String requestSm3 = Sm3.hex(Json.canonical(body));
        Instant now = clock.now();
        return db.tx(tx -> {
            record Stored(String requestSm3, String response) {}
            Optional<Stored> stored = tx.one("SELECT request_sm3, response FROM idempotency WHERE person_id = ? AND idem_key = ?",
                    rs -> new Stored(rs.getString(1), rs.getString(2)), who.personId(), key);
            if (stored.isPresent()) {
                if (!stored.get().requestSm3().equals(requestSm3)) {
                    throw new Problem(422, "IDEMPOTENCY_KEY_REUSED", "Unprocessable content", "this Idempotency-Key was used with a different body");
                }
                return stored.get().response();
            }
            String response = Json.write(process(tx, who, items, now));
            tx.update("INSERT INTO idempotency (person_id, idem_key, request_sm3, response) VALUES (?,?,?,?)", who.personId(), key, requestSm3, response);
            return response;
        });
    }

    private ObjectNode process(Tx tx, Principal who, JsonNode items, Instant now) throws SQLException {
        ObjectNode out = Json.object();
        ArrayNode results = out.putArray("results");
        Map<Integer, Long> acceptedIndex = new HashMap<>();
        Map<String, Integer> firstInBatch = new HashMap<>();
        List<ObjectNode> resultNodes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            ObjectNode r = results.addObject();
            resultNodes.add(r);
            r.put("index", i);
            Envelope env;
            try {
                env = Envelope.fromJson(item);
                r.put("envelopeSm3", env.sm3());
            } catch (IllegalArgumentException | Json.MalformedJsonException e) {
                r.put("envelopeSm3", Sm3.hex(Json.canonical(item)));
                refuse(r, Refusal.rejected("MALFORMED", e.getMessage()));
                continue;
            }
            Integer first = firstInBatch.get(env.sm3());
            if (first != null) {
                r.put("status", "DUPLICATE");
                r.put("duplicateOf", first);
                continue;
            }
            Optional<String> earlier = tx.one("SELECT receipt FROM envelope WHERE sm3 = ?", rs -> rs.getString(1), env.sm3());
            if (earlier.isPresent()) {
                r.put("status", "DUPLICATE");
                r.set("receipt", Json.parse(earlier.get()));
                continue;
            }
            try {
                List<EnvelopeRules.Signer> signers = verify(tx, env);
                rules.apply(tx, env, signers, now);
            } catch (Refusal refusal) {
                refuse(r, refusal);
                continue;
            }
            long index = log.append(tx, env);
            tx.update("INSERT INTO envelope (sm3, type, submitted_by, log_index, accepted_at, json, receipt) VALUES (?,?,?,?,?,?,?)",
                    env.sm3(), env.type(), who.personId(), index, now.atOffset(ZoneOffset.UTC), Json.write(env.toJson()), "{}");
            acceptedIndex.put(i, index);
            firstInBatch.put(env.sm3(), i);
            r.put("status", "ACCEPTED");
        }
        if (!acceptedIndex.isEmpty()) {
            JsonNode head = log.head(tx, now);
            for (var e : acceptedIndex.entrySet()) {
                ObjectNode receipt = log.receipt(tx, e.getValue(), head);
                ObjectNode r = resultNodes.get(e.getKey());
                r.set("receipt", receipt);
                tx.update("UPDATE envelope SET receipt = ? WHERE sm3 = ?", Json.write(receipt), r.path("envelopeSm3").asText());
            }
        }
        for (ObjectNode r : resultNodes) {
            if (r.has("duplicateOf")) {
                int of = r.remove("duplicateOf").asInt();
                r.set("receipt", resultNodes.get(of).get("receipt"));
            }
        }
        return out;
    }

    private static void refuse(ObjectNode r, Refusal refusal) {
        r.put("status", refusal.status());
        r.put("code", refusal.code());
        r.put("detail", refusal.getMessage());
    }

    /** Checks every signature against enrolled keys, and that each signer holds the role and may sign the type. */
    private static List<EnvelopeRules.Signer> verify(Tx tx, Envelope env) throws SQLException, Refusal {
        if (env.signatures().isEmpty()) throw Refusal.rejected("MALFORMED", "the envelope carries no signature");
        Set<String> allowed = EnvelopeRules.ROLES_BY_TYPE.get(env.type());
        if (allowed == null && !EnvelopeRules.PLATFORM_TYPES.contains(env.type())) throw Refusal.rejected("MALFORMED", "unknown envelope type " + env.type());
        List<EnvelopeRules.Signer> signers = new ArrayList<>();
        Map<String, Enrolments.EnrolledKey> keys = new HashMap<>();
        for (Envelope.Signature s : env.signatures()) {
            Enrolments.EnrolledKey k = Enrolments.key(tx, s.keyId());
            if (k == null) throw Refusal.rejected("UNKNOWN_KEY", "no enrolled key " + s.keyId());
            keys.put(s.keyId(), k);
        }
        Envelope.Verification v = env.verify((keyId, role) -> keys.get(keyId).publicKey());
        if (!v.ok()) throw Refusal.rejected("UNKNOWN_KEY".equals(v.code()) ? "UNKNOWN_KEY" : "BAD_SIGNATURE", v.detail());
        for (Envelope.Signature s : env.signatures()) {
            Enrolments.EnrolledKey k = keys.get(s.keyId());
            if (!k.person().has(s.role())) throw Refusal.rejected("ROLE_NOT_ALLOWED", k.person().personId() + " does not hold the role " + s.role());
            if (allowed == null || !allowed.contains(s.role())) throw Refusal.rejected("ROLE_NOT_ALLOWED", "role " + s.role() + " may not sign " + env.type());
            signers.add(new EnvelopeRules.Signer(s.keyId(), s.role(), k.person()));
        }
        return signers;
    }
}
