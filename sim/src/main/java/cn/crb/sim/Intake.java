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
 * <p>
 * Throughput: each envelope is canonicalised once (its SM3, its log leaf and its signatures' input derive from those
 * bytes); the signers' keys are read once per request; signatures are checked in parallel <em>before</em> the
 * transaction that decides (the database lock is not held while the CPU verifies; keys and roles are never removed,
 * so a check made just before stays true); earlier acceptances are found with one query; log leaves and accepted
 * envelopes are inserted as JDBC batches, and one tree head is signed per request. Every envelope that is not a
 * duplicate still has every signature verified.
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
        Optional<String> replay = db.tx(tx -> stored(tx, who, key, requestSm3));
        if (replay.isPresent()) return replay.get();

        List<Parsed> parsed = new ArrayList<>(items.size());
        for (JsonNode item : items) parsed.add(Parsed.of(item));
        List<String> sm3s = parsed.stream().filter(Parsed::wellFormed).map(Parsed::sm3).toList();
        record Known(Map<String, Enrolments.EnrolledKey> keys, Map<String, String> earlier) {}
        Known known = db.tx(tx -> new Known(enrolledKeys(tx, parsed), earlierReceipts(tx, sm3s)));
        List<Checked> checked = java.util.stream.IntStream.range(0, parsed.size()).parallel()
                .mapToObj(i -> {
                    Parsed p = parsed.get(i);
                    return p.wellFormed() && !known.earlier().containsKey(p.sm3()) ? check(p, known.keys()) : null;
                })
                .toList();

        return db.tx(tx -> {
            Optional<String> again = stored(tx, who, key, requestSm3);
            if (again.isPresent()) return again.get();
            String response = Json.write(process(tx, who, parsed, checked, known.keys(), now));
            tx.update("INSERT INTO idempotency (person_id, idem_key, request_sm3, response) VALUES (?,?,?,?)", who.personId(), key, requestSm3, response);
            return response;
        });
    }

    /** The stored answer to (person, key) when the body is the same; a 422 problem when it is another. */
    private static Optional<String> stored(Tx tx, Principal who, String key, String requestSm3) throws SQLException {
        record Stored(String requestSm3, String response) {}
        Optional<Stored> stored = tx.one("SELECT request_sm3, response FROM idempotency WHERE person_id = ? AND idem_key = ?",
                rs -> new Stored(rs.getString(1), rs.getString(2)), who.personId(), key);
        if (stored.isPresent() && !stored.get().requestSm3().equals(requestSm3)) {
            throw new Problem(422, "IDEMPOTENCY_KEY_REUSED", "Unprocessable content", "this Idempotency-Key was used with a different body");
        }
        return stored.map(Stored::response);
    }

    /** One item as read: the envelope with its canonical bytes and SM3, or why it is malformed (with the SM3 of the item). */
    private record Parsed(Envelope env, byte[] canonicalPayload, byte[] canonical, String sm3, String malformed) {
        static Parsed of(JsonNode item) {
            try {
                Envelope env = Envelope.fromJson(item);
                byte[] payload = Json.canonical(env.payload());
                byte[] canonical = env.canonicalBytes(payload);
                return new Parsed(env, payload, canonical, Sm3.hex(canonical), null);
            } catch (IllegalArgumentException | Json.MalformedJsonException e) {
                return new Parsed(null, null, null, Sm3.hex(Json.canonical(item)), e.getMessage());
            }
        }

        boolean wellFormed() { return malformed == null; }
    }

    /** The outcome of the signature and role checks of one envelope: its signers, or the refusal. */
    private record Checked(List<EnvelopeRules.Signer> signers, Refusal refusal) {}

    private static Checked check(Parsed p, Map<String, Enrolments.EnrolledKey> keys) {
        try {
            return new Checked(verify(p.env(), p.canonicalPayload(), keys), null);
        } catch (Refusal r) {
            return new Checked(null, r);
        }
    }

    /** The enrolled keys of every signer named in the request (one query per distinct key id). */
    private static Map<String, Enrolments.EnrolledKey> enrolledKeys(Tx tx, List<Parsed> parsed) throws SQLException {
        Map<String, Enrolments.EnrolledKey> keys = new HashMap<>();
        for (Parsed p : parsed) {
            if (!p.wellFormed()) continue;
            for (Envelope.Signature s : p.env().signatures()) {
                if (keys.containsKey(s.keyId())) continue;
                keys.put(s.keyId(), Enrolments.key(tx, s.keyId()));
            }
        }
        return keys;
    }

    /**
     * Decides every item in order, then appends the accepted ones to the log with one batched insert, signs one tree
     * head for the request and stores every accepted envelope with its receipt in one batched insert.
     * {@code checked} holds the signature checks made before the transaction (null for an item that was then a
     * duplicate: it is checked here if it no longer is one — it cannot be, acceptances are never undone).
     */
    private ObjectNode process(Tx tx, Principal who, List<Parsed> parsed, List<Checked> checked, Map<String, Enrolments.EnrolledKey> keys,
                               Instant now) throws SQLException {
        ObjectNode out = Json.object();
        ArrayNode results = out.putArray("results");
        List<ObjectNode> resultNodes = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            ObjectNode r = results.addObject();
            resultNodes.add(r);
            r.put("index", i);
            r.put("envelopeSm3", parsed.get(i).sm3());
        }
        Map<String, String> earlier = earlierReceipts(tx, parsed.stream().filter(Parsed::wellFormed).map(Parsed::sm3).toList());
        Map<String, Integer> firstInBatch = new HashMap<>();
        List<Integer> acceptedAt = new ArrayList<>();
        List<TransparencyLog.Leaf> leaves = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Parsed p = parsed.get(i);
            ObjectNode r = resultNodes.get(i);
            if (!p.wellFormed()) {
                refuse(r, Refusal.rejected("MALFORMED", p.malformed()));
                continue;
            }
            Integer first = firstInBatch.get(p.sm3());
            if (first != null) {
                r.put("status", "DUPLICATE");
                r.put("duplicateOf", first);
                continue;
            }
            String receipt = earlier.get(p.sm3());
            if (receipt != null) {
                r.put("status", "DUPLICATE");
                r.set("receipt", Json.parse(receipt));
                continue;
            }
            Checked c = checked.get(i) != null ? checked.get(i) : check(p, keys);
            try {
                if (c.refusal() != null) throw c.refusal();
                rules.apply(tx, p.env(), c.signers(), now);
            } catch (Refusal refusal) {
                refuse(r, refusal);
                continue;
            }
            acceptedAt.add(i);
            leaves.add(new TransparencyLog.Leaf(p.sm3(), p.canonical()));
            firstInBatch.put(p.sm3(), i);
            r.put("status", "ACCEPTED");
        }
        if (!acceptedAt.isEmpty()) {
            List<Long> indexes = log.appendAll(tx, leaves);
            JsonNode head = log.head(tx, now);
            List<Object[]> rows = new ArrayList<>(acceptedAt.size());
            for (int a = 0; a < acceptedAt.size(); a++) {
                int i = acceptedAt.get(a);
                Parsed p = parsed.get(i);
                ObjectNode receipt = log.receipt(tx, indexes.get(a), head);
                resultNodes.get(i).set("receipt", receipt);
                rows.add(new Object[] {p.sm3(), p.env().type(), who.personId(), indexes.get(a), now.atOffset(ZoneOffset.UTC),
                        Json.write(p.env().toJson()), Json.write(receipt)});
            }
            tx.batch("INSERT INTO envelope (sm3, type, submitted_by, log_index, accepted_at, json, receipt) VALUES (?,?,?,?,?,?,?)", rows);
        }
        for (ObjectNode r : resultNodes) {
            if (r.has("duplicateOf")) {
                int of = r.remove("duplicateOf").asInt();
                r.set("receipt", resultNodes.get(of).get("receipt"));
            }
        }
        return out;
    }

    /** The stored receipts of those of {@code sm3s} accepted before, by SM3 (one query). */
    private static Map<String, String> earlierReceipts(Tx tx, List<String> sm3s) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (sm3s.isEmpty()) return out;
        Object array = sm3s.toArray(new String[0]);
        tx.list("SELECT sm3, receipt FROM envelope WHERE sm3 = ANY(?)", rs -> out.put(rs.getString(1), rs.getString(2)), array);
        return out;
    }

    private static void refuse(ObjectNode r, Refusal refusal) {
        r.put("status", refusal.status());
        r.put("code", refusal.code());
        r.put("detail", refusal.getMessage());
    }

    /**
     * Checks every signature against the enrolled keys (null for a key id not enrolled), and that each signer holds
     * the role and may sign the type. Pure: touches no database.
     */
    private static List<EnvelopeRules.Signer> verify(Envelope env, byte[] canonicalPayload, Map<String, Enrolments.EnrolledKey> keys) throws Refusal {
        if (env.signatures().isEmpty()) throw Refusal.rejected("MALFORMED", "the envelope carries no signature");
        Set<String> allowed = EnvelopeRules.ROLES_BY_TYPE.get(env.type());
        if (allowed == null && !EnvelopeRules.PLATFORM_TYPES.contains(env.type())) throw Refusal.rejected("MALFORMED", "unknown envelope type " + env.type());
        List<EnvelopeRules.Signer> signers = new ArrayList<>();
        for (Envelope.Signature s : env.signatures()) {
            if (keys.get(s.keyId()) == null) throw Refusal.rejected("UNKNOWN_KEY", "no enrolled key " + s.keyId());
        }
        Envelope.Verification v = env.verify((keyId, role) -> keys.get(keyId).publicKey(), canonicalPayload);
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
