package cn.crb.sim.http;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP request as a handler sees it: method, path, path parameters, query, headers, body. */
public record Req(String method, String path, Map<String, String> pathParams, Map<String, String> query,
                  Map<String, List<String>> headers, byte[] body, InetSocketAddress remote) {

    public Optional<String> header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().getFirst());
            }
        }
        return Optional.empty();
    }

    public String param(String name) {
        return pathParams.get(name);
    }

    public Optional<String> queryParam(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** The body as a JSON object, or a MALFORMED problem. */
    public JsonNode json() {
        if (body.length == 0) throw Problem.malformed("a JSON body is required");
        JsonNode n;
        try {
            n = Json.parse(body);
        } catch (Json.MalformedJsonException e) {
            throw Problem.malformed("the body is not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw Problem.malformed("the body must be a JSON object");
        return n;
    }

    /** Parses {@code a=1&b=2}. */
    public static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return m;
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }
}
