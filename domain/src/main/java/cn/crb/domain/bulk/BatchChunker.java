package cn.crb.domain.bulk;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Rows into chunks exactly as the platform defines them (platform-sim README, "Bulk submission batches"): chunks are
 * numbered from 0 to {@code ceil(rowCount / chunkSize) - 1}, in row order; a chunk's {@code sm3} is the lowercase hex
 * SM3 of the RFC 8785 canonical bytes of its {@code rows} array. Pure functions.
 */
public final class BatchChunker {
    public static final String SUBMISSION_TYPE = "creditbank.submission-batch/1";

    private BatchChunker() {}

    /** One chunk: its number, its rows array and its sm3. */
    public record Chunk(int n, ArrayNode rows, String sm3) {
        /** The body of {@code PUT /batches/{id}/chunks/{n}}: {@code {rows, sm3}}. */
        public ObjectNode body() {
            ObjectNode o = Json.object();
            o.set("rows", rows);
            o.put("sm3", sm3);
            return o;
        }
    }

    public static int chunkCount(long rowCount, int chunkSize) {
        if (chunkSize <= 0) throw new IllegalArgumentException("chunkSize must be positive");
        return (int) ((rowCount + chunkSize - 1) / chunkSize);
    }

    /** The chunk {@code n} made of these rows' JSON texts (in row order). */
    public static Chunk chunk(int n, List<String> rowJson) {
        ArrayNode rows = Json.mapper().createArrayNode();
        for (String r : rowJson) rows.add(Json.parse(r));
        return new Chunk(n, rows, sm3(rows));
    }

    public static String sm3(JsonNode rows) {
        return Sm3.hex(Json.canonical(rows));
    }

    /** The unsigned {@code creditbank.submission-batch/1} envelope {batchId, rowCount, fileSm3, chunkSm3s[]}. */
    public static Envelope submission(String batchId, long rowCount, String fileSm3, List<String> chunkSm3s) {
        ObjectNode p = Json.object();
        p.put("batchId", batchId);
        p.put("rowCount", rowCount);
        p.put("fileSm3", fileSm3);
        ArrayNode a = p.putArray("chunkSm3s");
        chunkSm3s.forEach(a::add);
        return Envelope.unsigned(SUBMISSION_TYPE, p);
    }
}
