package cn.crb.sim;

import cn.crb.domain.crypto.Sm3;
import cn.crb.sim.http.Problem;
import cn.crb.sim.http.Res;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Evidence files by SM3, served whole or by one byte range (RFC 9110 §14). */
final class Evidence {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** A stored file. */
    record File(String sm3, String name, String contentType, byte[] bytes) {}

    private final Db db;

    Evidence(Db db) {
        this.db = db;
    }

    /** Stores a file; returns its SM3. */
    static String store(Tx tx, String name, String contentType, byte[] bytes) throws SQLException {
        String sm3 = Sm3.hex(bytes);
        tx.update("MERGE INTO evidence (sm3, name, content_type, bytes) KEY (sm3) VALUES (?,?,?,?)", sm3, name, contentType, bytes);
        return sm3;
    }

    Optional<File> find(String sm3) {
        return db.tx(tx -> tx.one("SELECT sm3, name, content_type, bytes FROM evidence WHERE sm3 = ?",
                rs -> new File(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)), sm3));
    }

    /** The response to {@code GET /api/v1/evidence/{sm3}} with an optional {@code Range} header. */
    Res serve(String sm3, Optional<String> range) {
        if (!sm3.matches("[0-9a-f]{64}")) throw Problem.malformed("evidence is addressed by its lowercase hex SM3");
        File f = find(sm3).orElseThrow(() -> Problem.notFound("no evidence file " + sm3));
        int len = f.bytes().length;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", f.contentType());
        h.put("Accept-Ranges", "bytes");
        h.put("ETag", "\"" + f.sm3() + "\"");
        h.put("Content-Disposition", "inline; filename*=UTF-8''" + java.net.URLEncoder.encode(f.name(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        if (range.isEmpty()) return new Res(200, h, f.bytes());
        Matcher m = RANGE.matcher(range.get().strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new Res(200, h, f.bytes()); // not a single byte range we understand: the whole file (RFC 9110 allows ignoring Range)
        }
        long start;
        long end;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, len - suffix);
                end = len - 1;
                if (suffix == 0) start = len;
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? len - 1 : Math.min(Long.parseLong(m.group(2)), len - 1);
                if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) return new Res(200, h, f.bytes());
            }
        } catch (NumberFormatException e) {
            return new Res(200, h, f.bytes());
        }
        if (start >= len) {
            Problem p = new Problem(416, "RANGE_NOT_SATISFIABLE", "Range not satisfiable", "the file has " + len + " bytes");
            return Res.problem(p).withHeader("Content-Range", "bytes */" + len);
        }
        h.put("Content-Range", "bytes " + start + "-" + end + "/" + len);
        return new Res(206, h, Arrays.copyOfRange(f.bytes(), (int) start, (int) end + 1));
    }
}
