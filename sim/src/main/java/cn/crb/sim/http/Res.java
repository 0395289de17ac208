package cn.crb.sim.http;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response: status, headers and the whole body. */
public record Res(int status, Map<String, String> headers, byte[] body) {

    public static Res json(int status, JsonNode node) {
        return new Res(status, Map.of("Content-Type", "application/json; charset=utf-8"),
                Json.write(node).getBytes(StandardCharsets.UTF_8));
    }

    public static Res ok(JsonNode node) {
        return json(200, node);
    }

    public static Res problem(Problem p) {
        Res r = new Res(p.status(), Map.of("Content-Type", "application/problem+json; charset=utf-8"),
                Json.write(p.toJson()).getBytes(StandardCharsets.UTF_8));
        return p.status() == 401 ? r.withHeader("WWW-Authenticate", "Bearer realm=\"creditbank\"") : r;
    }

    public Res withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Res(status, h, body);
    }
}
