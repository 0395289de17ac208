package cn.crb.sim.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The one {@link HttpHandler}: reads the request, applies faults to {@code /api/} paths, routes, and writes
 * the response; every failure becomes an {@code application/problem+json} answer. Admin paths
 * ({@code /admin/}) are refused unless the peer is a loopback address.
 */
public final class Dispatcher implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_BODY = 32 * 1024 * 1024;

    private final Router router;
    private final Faults faults;
    private final Runnable crash;
    /** Set by an injected crash: every later exchange is dropped until the process (or the in-process sim) is gone. */
    private volatile boolean down;

    /** {@code crash} stops the platform abruptly; called from the request's thread, so it must not wait for it. */
    public Dispatcher(Router router, Faults faults, Runnable crash) {
        this.router = router;
        this.faults = faults;
        this.crash = crash;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (down) throw new DroppedConnection("the platform crashed");
            String path = ex.getRequestURI().getRawPath();
            Faults.Action action = Faults.Action.PASS;
            if (path.startsWith("/api/")) {
                long latency = faults.latencyMs();
                if (latency > 0) sleep(latency);
                action = faults.next(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Idempotency-Key"));
            }
            if (action == Faults.Action.CRASH_ON_ARRIVAL) {
                LOG.warn("injected fault: crash on the arrival of {} {}", ex.getRequestMethod(), path);
                down = true;
                crash.run();
                throw new DroppedConnection("injected fault: the platform crashed");
            }
            Res res = switch (action) {
                case FAIL_503 -> Res.problem(new Problem(503, "UNAVAILABLE", "Service unavailable", "injected fault"))
                        .withHeader("Retry-After", Integer.toString(faults.retryAfterSeconds()));
                case FAIL_429 -> Res.problem(new Problem(429, "TOO_MANY_REQUESTS", "Too many requests", "injected fault"))
                        .withHeader("Retry-After", Integer.toString(faults.retryAfterSeconds()));
                case REDIRECT -> new Res(307, Map.of("Location", faults.redirectLocation(path)), new byte[0]);
                default -> route(ex, path);
            };
            if (action == Faults.Action.CRASH_AFTER_COMMIT) {
                LOG.warn("injected fault: crash after handling {} {}, before answering", ex.getRequestMethod(), path);
                down = true;
                crash.run();
                throw new DroppedConnection("injected fault: the platform crashed");
            }
            if (action == Faults.Action.DROP_BEFORE_RESPONSE) throw new DroppedConnection("injected fault: connection closed before the answer");
            write(ex, res, action == Faults.Action.DROP);
        }
    }

    private Res route(HttpExchange ex, String path) {
        try {
            if (path.startsWith("/admin/") && !ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
                throw new Problem(403, "FORBIDDEN", "Forbidden", "admin endpoints answer loopback clients only");
            }
            String method = ex.getRequestMethod();
            var match = router.match(method, path);
            if (match.isEmpty()) {
                if (router.pathKnown(path)) throw new Problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", method + " " + path);
                throw Problem.notFound("no such resource: " + path);
            }
            long cap = path.startsWith("/api/") && faults.maxBodyBytes() > 0 ? Math.min(faults.maxBodyBytes(), MAX_BODY) : MAX_BODY;
            byte[] body = readBody(ex.getRequestBody(), (int) cap);
            Req req = new Req(method, path, decode(match.get().params()), Req.parseQuery(ex.getRequestURI().getRawQuery()),
                    ex.getRequestHeaders(), body, ex.getRemoteAddress());
            return match.get().handler().handle(req);
        } catch (Problem p) {
            return Res.problem(p);
        } catch (IllegalArgumentException e) {
            return Res.problem(Problem.malformed(e.getMessage()));
        } catch (Exception e) {
            LOG.error("request {} {} failed", ex.getRequestMethod(), path, e);
            return Res.problem(new Problem(500, "INTERNAL", "Internal error", e.toString()));
        }
    }

    private static Map<String, String> decode(Map<String, String> params) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] readBody(InputStream in, int max) throws IOException {
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) throw new Problem(413, "TOO_LARGE", "Payload too large", "the body exceeds " + max + " bytes");
        return body;
    }

    private static void write(HttpExchange ex, Res res, boolean dropMidway) throws IOException {
        res.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        boolean head = "HEAD".equals(ex.getRequestMethod());
        byte[] body = res.body();
        if (body.length == 0 || head) {
            ex.sendResponseHeaders(res.status(), -1);
            return;
        }
        ex.sendResponseHeaders(res.status(), body.length);
        OutputStream out = ex.getResponseBody();
        if (dropMidway) {
            out.write(body, 0, body.length / 2);
            out.flush();
            throw new DroppedConnection("injected fault: connection dropped mid-response");
        }
        out.write(body);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown to make the server abandon the exchange and close the connection (mid-body or before any byte). */
    private static final class DroppedConnection extends IOException {
        DroppedConnection(String message) { super(message); }
    }
}
