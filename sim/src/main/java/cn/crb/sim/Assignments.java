package cn.crb.sim;

import cn.crb.domain.json.Json;
import cn.crb.sim.http.Problem;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /api/v1/assignments}: a person's feed of case changes, as a compacted change log. Each change of a
 * case appends a row (UPSERT or WITHDRAWN) per audience member with a global sequence number; a page holds, in
 * sequence order, the rows after the cursor that are the latest row for their case, each with the case as it is
 * now. The cursor is the sequence number of the page's last row, base64url-encoded ({@code "s<seq>"}). Re-pulling
 * from an old cursor is safe: it yields each case changed since then once, in its current state.
 */
final class Assignments {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private final Db db;

    Assignments(Db db) {
        this.db = db;
    }

    ObjectNode page(String personId, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) throw Problem.malformed("limit must be within 1.." + MAX_LIMIT);
        long after = decode(cursor);
        return db.tx(tx -> {
            record Row(long seq, String caseId, String kind) {}
            List<Row> rows = tx.list("""
                    SELECT f.seq, f.case_id, f.kind FROM feed f
                    WHERE f.person_id = ? AND f.seq > ?
                      AND NOT EXISTS (SELECT 1 FROM feed g WHERE g.person_id = f.person_id AND g.case_id = f.case_id AND g.seq > f.seq)
                    ORDER BY f.seq LIMIT ?""", rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)), personId, after, limit + 1);
            boolean hasMore = rows.size() > limit;
            List<Row> page = hasMore ? rows.subList(0, limit) : rows;
            ObjectNode out = Json.object();
            ArrayNode items = out.putArray("items");
            for (Row r : page) {
                ObjectNode item = items.addObject();
                item.put("kind", r.kind());
                item.set("case", Cases.render(tx, Cases.find(tx, r.caseId()).orElseThrow().doc()));
            }
            long last = page.isEmpty() ? after : page.getLast().seq();
            out.put("nextCursor", encode(last));
            out.put("hasMore", hasMore);
            return out;
        });
    }

    static String encode(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s" + seq).getBytes(StandardCharsets.US_ASCII));
    }

    static long decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) return 0;
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!s.startsWith("s")) throw new IllegalArgumentException();
            long v = Long.parseLong(s.substring(1));
            if (v < 0) throw new IllegalArgumentException();
            return v;
        } catch (IllegalArgumentException e) {
            throw Problem.malformed("not a cursor of this platform: " + cursor);
        }
    }
}
