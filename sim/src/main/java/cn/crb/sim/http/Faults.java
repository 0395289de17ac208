package cn.crb.sim.http;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Fault injection for the workstation's tests, applied to {@code /api/...} requests only: added latency; the next N
 * requests answered 503 (with {@code Retry-After}) or 429; the next N responses cut off mid-body (the connection is
 * closed after half the bytes); the next N requests handled (and committed) but answered with nothing at all (the
 * connection closed before the first byte); and a crash on a chosen request — the N-th request whose
 * {@code "METHOD /path"} starts with a given prefix — either on its arrival or after it was handled and committed,
 * before any byte of the answer; and a cap on request bodies, as a reverse proxy in front of a real platform sets
 * one (nginx's {@code client_max_body_size}): a larger body is answered 413; and the next N requests answered 307
 * with a {@code Location} elsewhere (a gateway sending clients to another address, plain HTTP say). In memory; a restart clears it. Also
 * keeps the last requests seen (method, path, Idempotency-Key) so that tests can tell what reached the platform.
 */
public final class Faults {

    /** What to do with one request. */
    public enum Action { PASS, FAIL_503, FAIL_429, REDIRECT, DROP, DROP_BEFORE_RESPONSE, CRASH_ON_ARRIVAL, CRASH_AFTER_COMMIT }

    /** Where a crash happens. */
    public enum CrashPoint { ARRIVAL, AFTER_COMMIT }

    private static final int LOG_SIZE = 2000;

    private long latencyMs;
    private int fail503;
    private int fail429;
    private int drop;
    private int dropBeforeResponse;
    private int retryAfterSeconds = 1;
    private int crashOn;
    private String crashPrefix = "";
    private CrashPoint crashPoint = CrashPoint.AFTER_COMMIT;
    private long maxBodyBytes;
    private int redirect;
    private String redirectTo = "";
    private final Deque<String[]> seen = new ArrayDeque<>();

    public synchronized void set(long latencyMs, int fail503, int fail429, int drop, int retryAfterSeconds) {
        set(latencyMs, fail503, fail429, drop, 0, retryAfterSeconds);
    }

    public synchronized void set(long latencyMs, int fail503, int fail429, int drop, int dropBeforeResponse, int retryAfterSeconds) {
        if (latencyMs < 0 || fail503 < 0 || fail429 < 0 || drop < 0 || dropBeforeResponse < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("fault settings must not be negative");
        }
        this.latencyMs = latencyMs;
        this.fail503 = fail503;
        this.fail429 = fail429;
        this.drop = drop;
        this.dropBeforeResponse = dropBeforeResponse;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Crash on the {@code n}-th request (counting from now, 1 = the next) whose {@code "METHOD /path"} starts with
     * {@code prefix} (empty: any {@code /api/} request); {@code n} 0 cancels.
     */
    public synchronized void crashOn(int n, String prefix, CrashPoint point) {
        if (n < 0) throw new IllegalArgumentException("crashOn must not be negative");
        this.crashOn = n;
        this.crashPrefix = prefix == null ? "" : prefix;
        this.crashPoint = point == null ? CrashPoint.AFTER_COMMIT : point;
    }

    /** Answers 413 to any {@code /api/} request whose body is larger than {@code bytes}; 0 lifts the cap. */
    public synchronized void maxBodyBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("maxBodyBytes must not be negative");
        this.maxBodyBytes = bytes;
    }

    /** The injected cap on request bodies, or 0 for none. */
    public synchronized long maxBodyBytes() { return maxBodyBytes; }

    /** Answers the next {@code n} {@code /api/} requests 307, {@code Location: to} followed by the request's path; 0 cancels. */
    public synchronized void redirect(int n, String to) {
        if (n < 0) throw new IllegalArgumentException("redirect must not be negative");
        if (n > 0 && (to == null || to.isBlank())) throw new IllegalArgumentException("redirect needs redirectTo");
        this.redirect = n;
        this.redirectTo = to == null ? "" : to.replaceAll("/+$", "");
    }

    /** Where a redirected request is sent: {@code redirectTo} followed by its path. */
    public synchronized String redirectLocation(String path) { return redirectTo + path; }

    public synchronized void clear() {
        set(0, 0, 0, 0, 0, 1);
        crashOn(0, "", CrashPoint.AFTER_COMMIT);
        maxBodyBytes(0);
        redirect(0, "");
    }

    public synchronized long latencyMs() { return latencyMs; }

    public synchronized int retryAfterSeconds() { return retryAfterSeconds; }

    /** Decides (and counts down) the fault for the next request, and logs it. */
    public synchronized Action next(String method, String path, String idempotencyKey) {
        seen.addLast(new String[] {method, path, idempotencyKey});
        if (seen.size() > LOG_SIZE) seen.removeFirst();
        if (crashOn > 0 && (method + " " + path).startsWith(crashPrefix) && --crashOn == 0) {
            return crashPoint == CrashPoint.ARRIVAL ? Action.CRASH_ON_ARRIVAL : Action.CRASH_AFTER_COMMIT;
        }
        if (fail503 > 0) { fail503--; return Action.FAIL_503; }
        if (fail429 > 0) { fail429--; return Action.FAIL_429; }
        if (redirect > 0) { redirect--; return Action.REDIRECT; }
        if (drop > 0) { drop--; return Action.DROP; }
        if (dropBeforeResponse > 0) { dropBeforeResponse--; return Action.DROP_BEFORE_RESPONSE; }
        return Action.PASS;
    }

    public synchronized ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("latencyMs", latencyMs);
        o.put("fail503", fail503);
        o.put("fail429", fail429);
        o.put("dropMidResponse", drop);
        o.put("dropBeforeResponse", dropBeforeResponse);
        o.put("retryAfterSeconds", retryAfterSeconds);
        o.put("crashOn", crashOn);
        o.put("crashPath", crashPrefix);
        o.put("crashPoint", crashPoint.name());
        o.put("maxBodyBytes", maxBodyBytes);
        o.put("redirect", redirect);
        o.put("redirectTo", redirectTo);
        return o;
    }

    /** The last requests seen under {@code /api/}, oldest first: {@code [{method, path, idempotencyKey?}]}. */
    public synchronized ArrayNode requestsJson() {
        ArrayNode a = Json.mapper().createArrayNode();
        for (String[] r : seen) {
            ObjectNode o = a.addObject();
            o.put("method", r[0]);
            o.put("path", r[1]);
            if (r[2] != null) o.put("idempotencyKey", r[2]);
        }
        return a;
    }
}
