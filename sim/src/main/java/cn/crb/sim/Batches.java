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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bulk submission batches of training-institution clerks (contract 04, 05): create (idempotent by the
 * workstation's batchId), upload chunks (numbered from 0; {@code sm3} = SM3 of the canonical bytes of
 * {@code rows}), ask what was received, complete with a signed {@code creditbank.submission-batch/1}. Completion
 * checks every row lightly (masked ID, digest, category, catalogue entry ACTIVE in the bundle in force, a date not in
 * the future) and refuses a row already on the learner's account (same idDigest, catalogueCode, achievedOn,
 * certificateCode); the completion envelope is appended to the transparency log and its receipt returned.
 */
final class Batches {
    private static final Set<String> CATEGORIES = Set.of("ACADEMIC", "VOCATIONAL", "SOCIAL");

    private record Batch(String batchId, String personId, String institution, int rowCount, int chunkSize, String fileSm3,
                         String keyEnvelope, String state, String result) {
        int chunkCount() { return rowCount == 0 ? 0 : (rowCount + chunkSize - 1) / chunkSize; }
    }

    private final Db db;
    private final SimClock clock;
    private final Standards standards;
    private final TransparencyLog log;

    Batches(Db db, SimClock clock, Standards standards, TransparencyLog log) {
        this.db = db;
        this.clock = clock;
        this.standards = standards;
        this.log = log;
    }

    /** {@code POST /api/v1/batches}: 201 for a new batch, 200 for the same batch again. */
    record Created(boolean created, ObjectNode body) {}

    Created create(Principal who, JsonNode b) {
        String batchId = b.path("batchId").asText("");
        if (!batchId.matches("[A-Za-z0-9-]{1,64}")) throw Problem.malformed("batchId must be 1..64 letters, digits or '-' (a UUID)");
        String institution = b.path("institution").asText("");
        int rowCount = intField(b, "rowCount", 0, 10_000_000);
        int chunkSize = intField(b, "chunkSize", 1, 100_000);
        String fileSm3 = b.path("fileSm3").asText("");
        if (!fileSm3.matches("[0-9a-f]{64}")) throw Problem.malformed("fileSm3 must be 64 lowercase hex characters");
        JsonNode keyEnvelope = b.get("keyEnvelope");
        if (keyEnvelope == null || keyEnvelope.isNull()) throw Problem.malformed("keyEnvelope is required");
        requireClerkOf(who, institution);
        String key = Json.write(keyEnvelope);
        return db.tx(tx -> {
            Optional<Batch> existing = find(tx, batchId);
            if (existing.isPresent()) {
                Batch e = existing.get();
                if (!e.personId().equals(who.personId()) || !e.institution().equals(institution) || e.rowCount() != rowCount
                        || e.chunkSize() != chunkSize || !e.fileSm3().equals(fileSm3) || !e.keyEnvelope().equals(key)) {
                    throw new Problem(409, "BATCH_CONFLICT", "Conflict", "batch " + batchId + " exists with other parameters");
                }
                return new Created(false, status(tx, e));
            }
            tx.update("INSERT INTO batch (batch_id, person_id, institution, row_count, chunk_size, file_sm3, key_envelope, state) VALUES (?,?,?,?,?,?,?,?)",
                    batchId, who.personId(), institution, rowCount, chunkSize, fileSm3, key, "RECEIVING");
            return new Created(true, status(tx, find(tx, batchId).orElseThrow()));
        });
    }

    /** {@code PUT /api/v1/batches/{batchId}/chunks/{n}}. */
    ObjectNode putChunk(Principal who, String batchId, String n, JsonNode b) {
        int chunk;
        try {
            chunk = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw Problem.malformed("chunk number must be an integer");
        }
        JsonNode rows = b.get("rows");
        if (rows == null || !rows.isArray()) throw Problem.malformed("rows must be an array");
        String sm3 = b.path("sm3").asText("");
        String actual = Sm3.hex(Json.canonical(rows));
        if (!actual.equals(sm3)) throw Problem.malformed("sm3 does not match the SM3 of the canonical bytes of rows (" + actual + ")");
        return db.tx(tx -> {
            Batch batch = owned(tx, who, batchId);
            if (chunk < 0 || chunk >= batch.chunkCount()) throw Problem.malformed("chunk " + chunk + " not within 0.." + (batch.chunkCount() - 1));
            if (rows.size() > batch.chunkSize()) throw Problem.malformed("chunk holds " + rows.size() + " rows, chunkSize is " + batch.chunkSize());
            Optional<String> held = tx.one("SELECT sm3 FROM batch_chunk WHERE batch_id = ? AND n = ?", rs -> rs.getString(1), batchId, chunk);
            if (held.isPresent()) {
                if (!held.get().equals(sm3)) throw new Problem(409, "CHUNK_CONFLICT", "Conflict", "chunk " + chunk + " is held with another sm3 " + held.get());
            } else {
                if (!batch.state().equals("RECEIVING")) throw new Problem(409, "BATCH_COMPLETE", "Conflict", "batch " + batchId + " is complete");
                tx.update("INSERT INTO batch_chunk (batch_id, n, sm3, row_count, rows) VALUES (?,?,?,?,?)", batchId, chunk, sm3, rows.size(), Json.write(rows));
            }
            return status(tx, batch);
        });
    }

    /**
     * {@code GET /admin/v1/batches}: what the platform holds from bulk submissions — the outcomes on learners' accounts
     * ({@code accountOutcomes}, one per learner, catalogue code, date and certificate) and every batch with the rows its
     * chunks carried and, once complete, how many rows it accepted and refused.
     */
    ObjectNode adminSummary() {
        return db.tx(tx -> {
            ObjectNode o = Json.object();
            o.put("accountOutcomes", tx.count("SELECT COUNT(*) FROM account_outcome"));
            ArrayNode list = o.putArray("batches");
            tx.list("SELECT batch_id FROM batch ORDER BY batch_id", rs -> rs.getString(1)).forEach(id -> {
                try {
                    Batch b = find(tx, id).orElseThrow();
                    ObjectNode x = list.addObject();
                    x.put("batchId", b.batchId());
                    x.put("institution", b.institution());
                    x.put("state", b.state());
                    x.put("rowCount", b.rowCount());
                    x.put("rowsReceived", tx.count("SELECT COALESCE(SUM(row_count), 0) FROM batch_chunk WHERE batch_id = ?", id));
                    x.put("accountOutcomes", tx.count("SELECT COUNT(*) FROM account_outcome WHERE batch_id = ?", id));
                    long accepted = 0;
                    long refused = 0;
                    if (b.result() != null) {
                        for (JsonNode r : Json.parse(b.result()).path("results")) {
                            if ("ACCEPTED".equals(r.path("status").asText())) accepted++;
                            else refused++;
                        }
                    }
                    x.put("accepted", accepted);
                    x.put("refused", refused);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            return o;
        });
    }

    /** {@code GET /api/v1/batches/{batchId}}. */
    ObjectNode get(Principal who, String batchId) {
        return db.tx(tx -> status(tx, owned(tx, who, batchId)));
    }

    /** {@code POST /api/v1/batches/{batchId}/complete} with the signed envelope as the body. */
    ObjectNode complete(Principal who, String batchId, JsonNode body) {
        Envelope env;
        try {
            env = Envelope.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw Problem.malformed(e.getMessage());
        }
        if (!env.type().equals("creditbank.submission-batch/1")) throw Problem.malformed("the body must be a creditbank.submission-batch/1 envelope");
        Instant now = clock.now();
        Optional<JsonNode> bundle = standards.inForce(LocalDate.ofInstant(now, ZoneOffset.UTC));
        return db.tx(tx -> {
            Batch batch = owned(tx, who, batchId);
            if (batch.result() != null) return (ObjectNode) Json.parse(batch.result());
            verifyClerkSignature(tx, env, batch.institution());
            JsonNode p = env.payload();
            record Chunk(int n, String sm3, String rows) {}
            List<Chunk> chunks = tx.list("SELECT n, sm3, rows FROM batch_chunk WHERE batch_id = ? ORDER BY n",
                    rs -> new Chunk(rs.getInt(1), rs.getString(2), rs.getString(3)), batchId);
            if (chunks.size() != batch.chunkCount()) {
                throw new Problem(409, "BATCH_INCOMPLETE", "Conflict", "received " + chunks.size() + " of " + batch.chunkCount() + " chunks");
            }
            if (!batchId.equals(p.path("batchId").asText()) || p.path("rowCount").asInt(-1) != batch.rowCount()
                    || !batch.fileSm3().equals(p.path("fileSm3").asText())) {
                throw Problem.malformed("the envelope's batchId, rowCount or fileSm3 differ from the batch");
            }
            List<String> expected = chunks.stream().map(Chunk::sm3).toList();
            List<String> stated = new ArrayList<>();
            p.path("chunkSm3s").forEach(x -> stated.add(x.asText()));
            if (!expected.equals(stated)) throw Problem.malformed("chunkSm3s differ from the chunks received");
            List<JsonNode> rows = new ArrayList<>();
            for (Chunk c : chunks) Json.parse(c.rows()).forEach(rows::add);
            if (rows.size() != batch.rowCount()) throw Problem.malformed("received " + rows.size() + " rows, rowCount is " + batch.rowCount());

            ObjectNode out = Json.object();
            out.put("batchId", batchId);
            out.put("state", "COMPLETE");
            ArrayNode results = out.putArray("results");
            for (int i = 0; i < rows.size(); i++) results.add(row(tx, rows.get(i), i, batchId, bundle.orElse(null), now));
            Optional<String> earlier = tx.one("SELECT receipt FROM envelope WHERE sm3 = ?", rs -> rs.getString(1), env.sm3());
            if (earlier.isPresent()) {
                out.set("receipt", Json.parse(earlier.get()));
            } else {
                long index = log.append(tx, env);
                JsonNode head = log.head(tx, now);
                ObjectNode receipt = log.receipt(tx, index, head);
                tx.update("INSERT INTO envelope (sm3, type, submitted_by, log_index, accepted_at, json, receipt) VALUES (?,?,?,?,?,?,?)",
                        env.sm3(), env.type(), who.personId(), index, now.atOffset(ZoneOffset.UTC), Json.write(env.toJson()), Json.write(receipt));
                out.set("receipt", receipt);
            }
            tx.update("UPDATE batch SET state = 'COMPLETE', result = ? WHERE batch_id = ?", Json.write(out), batchId);
            return out;
        });
    }

    private ObjectNode row(Tx tx, JsonNode r, int i, String batchId, JsonNode bundle, Instant now) throws SQLException {
        ObjectNode res = Json.object();
        res.put("rowNumber", r.path("rowNumber").canConvertToInt() && r.path("rowNumber").asInt() > 0 ? r.path("rowNumber").asInt() : i + 2);
        String problem = rowProblem(r, bundle, now);
        if (problem != null) {
            res.put("status", "REFUSED");
            res.put("code", "ROW_INVALID");
            res.put("detail", problem);
            return res;
        }
        String cert = r.path("certificateCode").isTextual() ? r.path("certificateCode").asText() : "";
        Object[] key = {r.path("idDigest").asText(), r.path("catalogueCode").asText(), r.path("achievedOn").asText(), cert};
        if (tx.count("SELECT COUNT(*) FROM account_outcome WHERE id_digest = ? AND catalogue_code = ? AND achieved_on = ? AND certificate_code = ?", key) > 0) {
            res.put("status", "REFUSED");
            res.put("code", "ALREADY_ON_ACCOUNT");
            return res;
        }
        tx.update("INSERT INTO account_outcome (id_digest, catalogue_code, achieved_on, certificate_code, batch_id) VALUES (?,?,?,?,?)",
                key[0], key[1], key[2], key[3], batchId);
        res.put("status", "ACCEPTED");
        return res;
    }

    private static String rowProblem(JsonNode r, JsonNode bundle, Instant now) {
        if (!r.path("idMasked").asText("").matches("\\d{6}\\*{8}\\d{3}[0-9X]")) return "idMasked must keep the first 6 and last 4 characters";
        if (!r.path("idDigest").asText("").matches("[0-9a-f]{64}")) return "idDigest must be 64 lowercase hex characters";
        if (!CATEGORIES.contains(r.path("category").asText())) return "category must be one of " + CATEGORIES;
        String code = r.path("catalogueCode").asText("");
        if (bundle != null) {
            JsonNode entry = null;
            for (JsonNode c : bundle.path("catalogue")) if (code.equals(c.path("code").asText())) entry = c;
            if (entry == null) return "catalogueCode " + code + " is not in the catalogue";
            if (!"ACTIVE".equals(entry.path("status").asText())) return "catalogueCode " + code + " is not ACTIVE";
        }
        try {
            if (LocalDate.parse(r.path("achievedOn").asText("")).isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC))) return "achievedOn is in the future";
        } catch (DateTimeParseException e) {
            return "achievedOn must be a date YYYY-MM-DD";
        }
        return null;
    }

    private static void verifyClerkSignature(Tx tx, Envelope env, String institution) throws SQLException {
        Map<String, Enrolments.EnrolledKey> keys = new HashMap<>();
        for (Envelope.Signature s : env.signatures()) {
            Enrolments.EnrolledKey k = Enrolments.key(tx, s.keyId());
            if (k == null) throw new Problem(400, "UNKNOWN_KEY", "Bad request", "no enrolled key " + s.keyId());
            if (!s.role().equals("CLERK") || !k.person().has("CLERK") || !institution.equals(k.person().institution())) {
                throw new Problem(403, "ROLE_NOT_ALLOWED", "Forbidden", "a batch of " + institution + " is completed by a clerk of " + institution);
            }
            keys.put(s.keyId(), k);
        }
        Envelope.Verification v = env.verify((keyId, role) -> keys.get(keyId) == null ? null : keys.get(keyId).publicKey());
        if (!v.ok()) throw new Problem(400, "BAD_SIGNATURE".equals(v.code()) ? "BAD_SIGNATURE" : "MALFORMED", "Bad request", v.detail());
    }

    private static void requireClerkOf(Principal who, String institution) {
        if (!who.person().has("CLERK")) throw new Problem(403, "ROLE_NOT_ALLOWED", "Forbidden", "only clerks submit batches");
        if (!institution.equals(who.person().institution())) {
            throw new Problem(403, "ROLE_NOT_ALLOWED", "Forbidden", "a clerk of " + who.person().institution() + " cannot submit for " + institution);
        }
    }

    private static Optional<Batch> find(Tx tx, String batchId) throws SQLException {
        return tx.one("SELECT * FROM batch WHERE batch_id = ?", rs -> new Batch(rs.getString("batch_id"), rs.getString("person_id"),
                rs.getString("institution"), rs.getInt("row_count"), rs.getInt("chunk_size"), rs.getString("file_sm3"),
                rs.getString("key_envelope"), rs.getString("state"), rs.getString("result")), batchId);
    }

    private static Batch owned(Tx tx, Principal who, String batchId) throws SQLException {
        return find(tx, batchId).filter(b -> b.personId().equals(who.personId()))
                .orElseThrow(() -> Problem.notFound("no batch " + batchId));
    }

    private static ObjectNode status(Tx tx, Batch b) throws SQLException {
        ObjectNode o = Json.object();
        o.put("batchId", b.batchId());
        ArrayNode received = o.putArray("received");
        tx.list("SELECT n FROM batch_chunk WHERE batch_id = ? ORDER BY n", rs -> rs.getInt(1), b.batchId()).forEach(received::add);
        o.put("state", b.state());
        o.put("chunkCount", b.chunkCount());
        return o;
    }

    private static int intField(JsonNode b, String name, int min, int max) {
        JsonNode v = b.get(name);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw Problem.malformed(name + " must be an integer within " + min + ".." + max);
        }
        return v.asInt();
    }
}
