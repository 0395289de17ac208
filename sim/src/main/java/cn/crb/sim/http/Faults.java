package cn.crb.sim.http;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fault injection for the workstation's tests, applied to {@code /api/...} requests only:
 * added latency, the next N requests answered 503 (with {@code Retry-After}) or 429, and the next N
 * responses cut off mid-body (the connection is closed after half the bytes). In memory; a restart clears it.
 */
public final class Faults {

    /** What to do with one request. */
    public enum Action { PASS, FAIL_503, FAIL_429, DROP }

    private long latencyMs;
    private int fail503;
    private int fail429;
    private int drop;
    private int retryAfterSeconds = 1;

    public synchronized void set(long latencyMs, int fail503, int fail429, int drop, int retryAfterSeconds) {
        if (latencyMs < 0 || fail503 < 0 || fail429 < 0 || drop < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("fault settings must not be negative");
        }
        this.latencyMs = latencyMs;
        this.fail503 = fail503;
        this.fail429 = fail429;
        this.drop = drop;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public synchronized void clear() {
        set(0, 0, 0, 0, 1);
    }

    public synchronized long latencyMs() { return latencyMs; }

    public synchronized int retryAfterSeconds() { return retryAfterSeconds; }

    /** Decides (and counts down) the fault for the next request. */
    public synchronized Action next() {
        if (fail503 > 0) { fail503--; return Action.FAIL_503; }
        if (fail429 > 0) { fail429--; return Action.FAIL_429; }
        if (drop > 0) { drop--; return Action.DROP; }
        return Action.PASS;
    }

    public synchronized ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("latencyMs", latencyMs);
        o.put("fail503", fail503);
        o.put("fail429", fail429);
        o.put("dropMidResponse", drop);
        o.put("retryAfterSeconds", retryAfterSeconds);
        return o;
    }
}
