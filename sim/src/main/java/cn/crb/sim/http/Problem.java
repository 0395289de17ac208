package cn.crb.sim.http;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * An RFC 9457 problem, thrown by a handler and written as {@code application/problem+json} with
 * {@code type}, {@code title}, {@code status}, {@code detail} and the extension member {@code code}.
 */
public final class Problem extends RuntimeException {
    /** Base of the stable problem type URIs ({@code .example}: the simulator owns no real domain). */
    public static final String TYPE_BASE = "https://platform.creditbank.example/problems/";

    private final int status;
    private final String code;
    private final String title;

    public Problem(int status, String code, String title, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public static Problem badRequest(String code, String detail) {
        return new Problem(400, code, "Bad request", detail);
    }

    public static Problem malformed(String detail) {
        return new Problem(400, "MALFORMED", "Malformed request", detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "NOT_FOUND", "Not found", detail);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "UNAUTHORIZED", "Enrol or log in again", detail);
    }

    public int status() { return status; }

    public String code() { return code; }

    public String title() { return title; }

    public String type() {
        return TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", type());
        o.put("title", title);
        o.put("status", status);
        o.put("detail", getMessage());
        o.put("code", code);
        return o;
    }
}
