package cn.crb.sync;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

/** The simulator's admin endpoints (as its README documents them) and, while it is stopped, its database. */
final class SimAdmin {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    SimAdmin(URI base) {
        this.base = base;
    }

    JsonNode send(String method, String path, JsonNode body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .header("Content-Type", "application/json").build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body());
    }

    void faults(long latencyMs, int fail503, int fail429, int drop, int retryAfterSeconds) throws Exception {
        ObjectNode b = Json.object().put("latencyMs", latencyMs).put("fail503", fail503).put("fail429", fail429)
                .put("dropMidResponse", drop).put("retryAfterSeconds", retryAfterSeconds);
        send("POST", "/admin/v1/faults", b);
    }

    /** Crash the platform on the {@code n}-th request whose "METHOD /path" starts with {@code prefix}. */
    void crashOn(int n, String prefix, String point) throws Exception {
        send("POST", "/admin/v1/faults", Json.object().put("crashOn", n).put("crashPath", prefix).put("crashPoint", point));
    }

    /** Handle the next {@code n} requests, then close the connection without a byte of answer. */
    void dropBeforeResponse(int n) throws Exception {
        send("POST", "/admin/v1/faults", Json.object().put("dropBeforeResponse", n));
    }

    /** Answer 413 to any /api/ request whose body is larger than {@code bytes}, as a reverse proxy's body limit does. */
    void maxBodyBytes(long bytes) throws Exception {
        send("POST", "/admin/v1/faults", Json.object().put("maxBodyBytes", bytes));
    }

    /** The requests the platform saw under /api/: [{method, path, idempotencyKey?}]. */
    JsonNode requests() throws Exception {
        return send("GET", "/admin/v1/requests", null);
    }

    JsonNode faults() throws Exception {
        return send("GET", "/admin/v1/faults", null);
    }

    void clearFaults() throws Exception {
        send("DELETE", "/admin/v1/faults", null);
    }

    void withdraw(String caseId) throws Exception {
        send("POST", "/admin/v1/cases/" + caseId + "/withdraw", null);
    }

    /** Runs one SQL update on a stopped simulator's database (to play a dishonest or broken platform). */
    static int tamper(Path dataDir, String sql, Object... args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("platform"), "sa", "");
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            return s.executeUpdate();
        }
    }

    static String query(Path dataDir, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("platform"), "sa", "");
             PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
