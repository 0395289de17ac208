package cn.crb.sim.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Method and path-template routing: {@code GET /api/v1/standards/{version}}. */
public final class Router {

    /** A request handler. */
    @FunctionalInterface
    public interface Handler {
        Res handle(Req req) throws Exception;
    }

    /** A matched route: the handler and the values of its path parameters. */
    public record Match(Handler handler, Map<String, String> params) {}

    private record Route(String method, String[] segments, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Handler handler) {
        routes.add(new Route(method, split(template), handler));
        return this;
    }

    /** The matching route; an empty result with {@code pathKnown} tells 405 from 404. */
    public Optional<Match> match(String method, String path) {
        String[] parts = split(path);
        for (Route r : routes) {
            if (!r.method.equals(method)) continue;
            Map<String, String> params = matchSegments(r.segments, parts);
            if (params != null) return Optional.of(new Match(r.handler, params));
        }
        return Optional.empty();
    }

    public boolean pathKnown(String path) {
        String[] parts = split(path);
        return routes.stream().anyMatch(r -> matchSegments(r.segments, parts) != null);
    }

    private static Map<String, String> matchSegments(String[] template, String[] parts) {
        if (template.length != parts.length) return null;
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) return null;
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.split("/", -1);
    }
}
