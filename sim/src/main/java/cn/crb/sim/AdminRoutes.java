package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.sim.http.Faults;
import cn.crb.sim.http.Problem;
import cn.crb.sim.http.Req;
import cn.crb.sim.http.Res;
import cn.crb.sim.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/** The simulator's admin endpoints under {@code /admin/v1} (no token; loopback clients only). */
final class AdminRoutes {
    private final Enrolments enrolments;
    private final SimClock clock;
    private final Faults faults;
    private final CaseAdmin cases;
    private final Batches batches;

    AdminRoutes(Enrolments enrolments, SimClock clock, Faults faults, CaseAdmin cases, Batches batches) {
        this.enrolments = enrolments;
        this.clock = clock;
        this.faults = faults;
        this.cases = cases;
        this.batches = batches;
    }

    void register(Router r) {
        r.add("POST", "/admin/v1/enrolment-codes", this::issueCode);
        r.add("POST", "/admin/v1/people/{personId}/roles", this::changeRoles);
        r.add("GET", "/admin/v1/cases", req -> Res.ok(cases.list()));
        r.add("POST", "/admin/v1/cases", req -> Res.json(201, cases.create(req.body().length == 0 ? Json.object() : req.json())));
        r.add("GET", "/admin/v1/cases/{caseId}", req -> Res.ok(cases.show(req.param("caseId"))));
        r.add("POST", "/admin/v1/cases/{caseId}/withdraw", req -> Res.ok(cases.withdraw(req.param("caseId"))));
        r.add("POST", "/admin/v1/cases/{caseId}/materials", req -> Res.ok(cases.materialsArrived(req.param("caseId"))));
        r.add("POST", "/admin/v1/cases/{caseId}/objection",
                req -> Res.json(201, cases.openObjection(req.param("caseId"), req.body().length == 0 ? Json.object() : req.json())));
        r.add("GET", "/admin/v1/batches", req -> Res.ok(batches.adminSummary()));
        r.add("GET", "/admin/v1/clock", req -> Res.ok(clockJson()));
        r.add("POST", "/admin/v1/clock", this::advanceClock);
        r.add("GET", "/admin/v1/faults", req -> Res.ok(faults.toJson()));
        r.add("GET", "/admin/v1/requests", req -> Res.ok(faults.requestsJson()));
        r.add("POST", "/admin/v1/faults", this::setFaults);
        r.add("DELETE", "/admin/v1/faults", req -> {
            faults.clear();
            return Res.ok(faults.toJson());
        });
    }

    private Res issueCode(Req req) {
        JsonNode b = req.json();
        String personId = ApiRoutes.text(b, "personId");
        String code = personId != null
                ? enrolments.issueCode(personId)
                : enrolments.issueCodeForNewPerson(ApiRoutes.text(b, "role"), ApiRoutes.text(b, "institution"), ApiRoutes.text(b, "name"));
        ObjectNode o = Json.object();
        o.put("enrolmentCode", code);
        return Res.json(201, o);
    }

    private Res changeRoles(Req req) {
        JsonNode roles = req.json().get("roles");
        if (roles == null || !roles.isArray()) throw Problem.malformed("roles must be an array of role names");
        java.util.List<String> list = new java.util.ArrayList<>();
        roles.forEach(n -> list.add(n.asText()));
        return Res.ok(enrolments.changeRoles(req.param("personId"), list));
    }

    private Res advanceClock(Req req) {
        JsonNode b = req.json();
        JsonNode days = b.get("days");
        if (days == null || !days.canConvertToLong() || days.asLong() < 0) throw Problem.malformed("days must be a non-negative integer");
        JsonNode hours = b.get("hours");
        long h = hours == null ? 0 : hours.asLong();
        if (h < 0) throw Problem.malformed("hours must not be negative");
        clock.advance(Duration.ofDays(days.asLong()).plusHours(h));
        ObjectNode o = clockJson();
        o.put("casesMoved", cases.sweep());
        return Res.ok(o);
    }

    private ObjectNode clockJson() {
        ObjectNode o = Json.object();
        o.put("now", Envelope.timestamp(clock.now()));
        o.put("offsetSeconds", clock.offsetSeconds());
        return o;
    }

    private Res setFaults(Req req) {
        JsonNode b = req.json();
        faults.set(b.path("latencyMs").asLong(0), b.path("fail503").asInt(0), b.path("fail429").asInt(0),
                b.path("dropMidResponse").asInt(0), b.path("dropBeforeResponse").asInt(0), b.path("retryAfterSeconds").asInt(1));
        Faults.CrashPoint point;
        try {
            point = Faults.CrashPoint.valueOf(b.path("crashPoint").asText("AFTER_COMMIT"));
        } catch (IllegalArgumentException e) {
            throw Problem.malformed("crashPoint must be ARRIVAL or AFTER_COMMIT");
        }
        faults.crashOn(b.path("crashOn").asInt(0), b.path("crashPath").asText(""), point);
        faults.maxBodyBytes(b.path("maxBodyBytes").asLong(0));
        faults.redirect(b.path("redirect").asInt(0), b.path("redirectTo").asText(""));
        return Res.ok(faults.toJson());
    }
}
