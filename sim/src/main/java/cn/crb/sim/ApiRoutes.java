package cn.crb.sim;

import cn.crb.sim.http.Problem;
import cn.crb.sim.http.Req;
import cn.crb.sim.http.Res;
import cn.crb.sim.http.Router;
import com.fasterxml.jackson.databind.JsonNode;

/** The platform API of contract 04 under {@code /api/v1}. */
final class ApiRoutes {
    private final Enrolments enrolments;
    private final Standards standards;
    private final Assignments assignments;
    private final Evidence evidence;
    private final Intake intake;
    private final TransparencyLogApi log;
    private final Batches batches;

    ApiRoutes(Enrolments enrolments, Standards standards, Assignments assignments, Evidence evidence, Intake intake, TransparencyLogApi log,
              Batches batches) {
        this.enrolments = enrolments;
        this.standards = standards;
        this.assignments = assignments;
        this.evidence = evidence;
        this.intake = intake;
        this.log = log;
        this.batches = batches;
    }

    void register(Router r) {
        r.add("POST", "/api/v1/enrolments", this::enrol);
        r.add("GET", "/api/v1/standards", req -> {
            enrolments.authenticate(req.header("Authorization"));
            return Res.ok(standards.listJson());
        });
        r.add("GET", "/api/v1/assignments", this::assignments);
        r.add("POST", "/api/v1/envelopes", req -> {
            Principal who = enrolments.authenticate(req.header("Authorization"));
            String answer = intake.submit(who, req.header("Idempotency-Key"), req.json());
            return new Res(200, java.util.Map.of("Content-Type", "application/json; charset=utf-8"), answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        r.add("POST", "/api/v1/batches", req -> {
            Batches.Created c = batches.create(enrolments.authenticate(req.header("Authorization")), req.json());
            return Res.json(c.created() ? 201 : 200, c.body());
        });
        r.add("PUT", "/api/v1/batches/{batchId}/chunks/{n}", req ->
                Res.ok(batches.putChunk(enrolments.authenticate(req.header("Authorization")), req.param("batchId"), req.param("n"), req.json())));
        r.add("GET", "/api/v1/batches/{batchId}", req ->
                Res.ok(batches.get(enrolments.authenticate(req.header("Authorization")), req.param("batchId"))));
        r.add("POST", "/api/v1/batches/{batchId}/complete", req ->
                Res.ok(batches.complete(enrolments.authenticate(req.header("Authorization")), req.param("batchId"), req.json())));
        r.add("GET", "/api/v1/log/tree-head", req -> {
            enrolments.authenticate(req.header("Authorization"));
            return Res.ok(log.treeHead());
        });
        r.add("GET", "/api/v1/log/consistency", req -> {
            enrolments.authenticate(req.header("Authorization"));
            return Res.ok(log.consistency(longParam(req, "from"), longParam(req, "to")));
        });
        r.add("GET", "/api/v1/evidence/{sm3}", req -> {
            enrolments.authenticate(req.header("Authorization"));
            return evidence.serve(req.param("sm3"), req.header("Range"));
        });
        r.add("GET", "/api/v1/standards/{version}", req -> {
            enrolments.authenticate(req.header("Authorization"));
            return Res.ok(standards.envelope(req.param("version"))
                    .orElseThrow(() -> new Problem(404, "STANDARDS_VERSION_UNKNOWN", "Not found", "no standards version " + req.param("version"))));
        });
    }

    private Res assignments(Req req) {
        Principal who = enrolments.authenticate(req.header("Authorization"));
        int limit;
        try {
            limit = req.queryParam("limit").map(Integer::parseInt).orElse(Assignments.DEFAULT_LIMIT);
        } catch (NumberFormatException e) {
            throw Problem.malformed("limit must be an integer");
        }
        return Res.ok(assignments.page(who.personId(), req.queryParam("cursor").orElse(null), limit));
    }

    private Res enrol(Req req) {
        JsonNode b = req.json();
        return Res.json(201, enrolments.enrol(text(b, "enrolmentCode"), text(b, "publicKeyPem"), text(b, "deviceName")));
    }

    private static long longParam(Req req, String name) {
        String v = req.queryParam(name).orElseThrow(() -> Problem.malformed(name + " is required"));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw Problem.malformed(name + " must be an integer");
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }
}
