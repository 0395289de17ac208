package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.sim.http.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The admin operations on cases: list, show, create, withdraw, open an objection. */
final class CaseAdmin {
    private static final Set<String> STEPS = Set.of("APPLICATION", "REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "INSPECTION");
    private final Db db;
    private final SimClock clock;
    private final Standards standards;

    CaseAdmin(Db db, SimClock clock, Standards standards) {
        this.db = db;
        this.clock = clock;
        this.standards = standards;
    }

    ArrayNode list() {
        return db.tx(tx -> {
            ArrayNode a = Json.mapper().createArrayNode();
            tx.list("SELECT case_id, step, revision, withdrawn FROM case_doc ORDER BY case_id", rs -> {
                ObjectNode o = a.addObject();
                o.put("caseId", rs.getString(1));
                o.put("step", rs.getString(2));
                o.put("revision", rs.getInt(3));
                o.put("withdrawn", rs.getBoolean(4));
                return o;
            });
            return a;
        });
    }

    ObjectNode show(String caseId) {
        return db.tx(tx -> {
            Cases.Stored s = Cases.find(tx, caseId).orElseThrow(() -> Problem.notFound("no case " + caseId));
            ObjectNode doc = Cases.render(tx, s.doc());
            doc.put("withdrawn", s.withdrawn());
            return doc;
        });
    }

    /**
     * Creates a case: the given document ({@code case}), or a generated one at {@code step} (default REVIEW);
     * assigned to {@code assignTo} (a person id; default: the first demo reviewer) when in REVIEW or INSPECTION.
     */
    JsonNode create(JsonNode body) {
        if (body.has("count")) return createMany(body);
        String step = body.path("step").asText("REVIEW");
        if (!STEPS.contains(step)) throw Problem.malformed("step must be one of " + STEPS);
        Instant now = clock.now();
        JsonNode bundle = standards.inForce(LocalDate.ofInstant(now, ZoneOffset.UTC))
                .or(() -> standards.list().isEmpty() ? java.util.Optional.empty() : standards.payload(standards.list().getLast().version()))
                .orElseGet(Standards::demoPayload);
        return db.tx(tx -> {
            String assignTo = body.hasNonNull("assignTo") ? body.get("assignTo").asText() : firstReviewer(tx);
            if (assignTo != null && Person.find(tx, assignTo) == null) throw Problem.malformed("no person " + assignTo);
            long n = tx.count("SELECT COUNT(*) FROM case_doc") + 1;
            ObjectNode doc;
            if (body.hasNonNull("case")) {
                if (!body.get("case").isObject()) throw Problem.malformed("case must be an object");
                doc = ((ObjectNode) body.get("case")).deepCopy();
                if (!doc.hasNonNull("caseId")) doc.put("caseId", String.format("C-%d-%06d", LocalDate.ofInstant(now, ZoneOffset.UTC).getYear(), n));
                if (!doc.has("revision")) doc.put("revision", 1);
                if (!doc.has("step")) doc.put("step", step);
                if (!doc.has("stepStartedAt")) doc.put("stepStartedAt", Envelope.timestamp(now));
                if (!doc.has("history")) doc.putArray("history");
                doc.remove("expected");
                doc.remove("note");
            } else {
                String id;
                do {
                    id = String.format("C-%d-%06d", LocalDate.ofInstant(now, ZoneOffset.UTC).getYear(), n++);
                } while (Cases.find(tx, id).isPresent());
                doc = new CaseFactory(new Random(World.SEED + n), bundle).create(tx, id, step, now, assignTo);
            }
            String caseId = doc.path("caseId").asText();
            if (Cases.find(tx, caseId).isPresent()) throw new Problem(409, "CASE_EXISTS", "Conflict", "case " + caseId + " exists");
            String s = doc.path("step").asText();
            boolean assigned = assignTo != null && (s.equals("REVIEW") || s.equals("INSPECTION"));
            List<String> audience = new java.util.ArrayList<>();
            if (List.of("CONVERSION", "PUBLIC_NOTICE", "ARCHIVE").contains(s)) {
                Workflow.clerksOf(tx, doc.path("programme").path("institution").asText()).forEach(p -> audience.add(p.personId()));
            }
            Cases.insert(tx, doc, assigned ? List.of(assignTo) : List.of(), audience);
            return Cases.render(tx, doc);
        });
    }

    /**
     * Creates {@code count} (1..20,000) generated cases at {@code step} in one transaction, assigned as {@link #create}
     * does; answers {@code {count, caseIds[]}}. For volume tests and benchmarks.
     */
    private ObjectNode createMany(JsonNode body) {
        JsonNode c = body.get("count");
        if (!c.canConvertToInt() || c.asInt() < 1 || c.asInt() > 20_000) throw Problem.malformed("count must be within 1..20000");
        if (body.hasNonNull("case")) throw Problem.malformed("count creates generated cases; it cannot be given with case");
        String step = body.path("step").asText("REVIEW");
        if (!STEPS.contains(step)) throw Problem.malformed("step must be one of " + STEPS);
        Instant now = clock.now();
        JsonNode bundle = standards.inForce(LocalDate.ofInstant(now, ZoneOffset.UTC))
                .or(() -> standards.list().isEmpty() ? java.util.Optional.empty() : standards.payload(standards.list().getLast().version()))
                .orElseGet(Standards::demoPayload);
        return db.tx(tx -> {
            String assignTo = body.hasNonNull("assignTo") ? body.get("assignTo").asText() : firstReviewer(tx);
            if (assignTo != null && Person.find(tx, assignTo) == null) throw Problem.malformed("no person " + assignTo);
            long n = tx.count("SELECT COUNT(*) FROM case_doc") + 1;
            ObjectNode out = Json.object();
            ArrayNode ids = out.putArray("caseIds");
            for (int i = 0; i < c.asInt(); i++) {
                String id;
                do {
                    id = String.format("C-%d-%06d", LocalDate.ofInstant(now, ZoneOffset.UTC).getYear(), n++);
                } while (Cases.find(tx, id).isPresent());
                ObjectNode doc = new CaseFactory(new Random(World.SEED + n), bundle).create(tx, id, step, now, assignTo);
                String s = doc.path("step").asText();
                boolean assigned = assignTo != null && (s.equals("REVIEW") || s.equals("INSPECTION"));
                List<String> audience = new java.util.ArrayList<>();
                if (List.of("CONVERSION", "PUBLIC_NOTICE", "ARCHIVE").contains(s)) {
                    Workflow.clerksOf(tx, doc.path("programme").path("institution").asText()).forEach(p -> audience.add(p.personId()));
                }
                Cases.insert(tx, doc, assigned ? List.of(assignTo) : List.of(), audience);
                ids.add(id);
            }
            out.put("count", ids.size());
            return out;
        });
    }

    private static String firstReviewer(Tx tx) throws SQLException {
        return tx.one("SELECT person_id FROM person WHERE roles LIKE '%REVIEWER%' ORDER BY demo_order NULLS LAST, person_id",
                rs -> rs.getString(1)).orElse(null);
    }

    /**
     * The materials a reviewer requested arrive (the learner uploaded them): a new revision of the case, no longer
     * awaiting materials, with a history entry {@code MATERIALS_RECEIVED} — from which the REVIEW clock runs again
     * (contract 03). 409 when the case is not awaiting materials.
     */
    ObjectNode materialsArrived(String caseId) {
        Instant now = clock.now();
        return db.tx(tx -> {
            Cases.Stored s = Cases.find(tx, caseId).orElseThrow(() -> Problem.notFound("no case " + caseId));
            if (s.withdrawn() || !s.doc().path("awaitingMaterials").asBoolean(false)) {
                throw new Problem(409, "NOT_AWAITING_MATERIALS", "Conflict", "case " + caseId + " is not awaiting materials");
            }
            ObjectNode doc = s.doc().deepCopy();
            doc.remove("awaitingMaterials");
            return Cases.render(tx, Workflow.advance(tx, doc, s.step(), now, "learner", "MATERIALS_RECEIVED"));
        });
    }

    /** Withdraws (cancels) a case: every audience member's next pull carries WITHDRAWN. */
    ObjectNode withdraw(String caseId) {
        Instant now = clock.now();
        return db.tx(tx -> {
            Cases.Stored s = Cases.find(tx, caseId).orElseThrow(() -> Problem.notFound("no case " + caseId));
            if (s.withdrawn()) return Cases.render(tx, s.doc());
            ObjectNode doc = s.doc().deepCopy();
            doc.put("revision", s.revision() + 1);
            ObjectNode h = doc.withArray("history").addObject();
            h.put("at", Envelope.timestamp(now));
            h.put("step", s.step());
            h.put("by", "platform");
            h.put("event", "WITHDRAWN");
            tx.update("UPDATE case_doc SET revision = ?, doc = ? WHERE case_id = ?", doc.path("revision").asInt(), Json.write(doc), caseId);
            Cases.withdraw(tx, caseId);
            return Cases.render(tx, doc);
        });
    }

    /** Opens an objection and its arbitration on a case in PUBLIC_NOTICE or rejected at REVIEW. */
    ObjectNode openObjection(String caseId, JsonNode body) {
        Instant now = clock.now();
        return db.tx(tx -> {
            Cases.Stored s = Cases.find(tx, caseId).orElseThrow(() -> Problem.notFound("no case " + caseId));
            ObjectNode objection = Json.object();
            objection.put("caseId", caseId);
            objection.put("raisedBy", body.path("raisedBy").asText("learner"));
            objection.put("raisedAt", Envelope.timestamp(now));
            objection.put("grounds", body.path("grounds").asText("申请人对认定结果有异议。"));
            objection.putArray("evidence");
            Objections.check(s);
            Workflow.openArbitration(tx, s.doc(), objection, now, arbitrationDays());
            return Cases.render(tx, Cases.find(tx, caseId).orElseThrow().doc());
        });
    }

    /** Applies deemed consent and the end of notice periods up to the simulated now (after the clock moved). */
    int sweep() {
        Instant now = clock.now();
        return standards.inForce(LocalDate.ofInstant(now, ZoneOffset.UTC))
                .map(bundle -> db.tx(tx -> Workflow.sweep(tx, bundle, now)))
                .orElse(0);
    }

    int arbitrationDays() {
        return standards.inForce(clock.today()).map(b -> b.path("workflow").path("arbitration").path("deadlineDays").asInt(Workflow.DEFAULT_ARBITRATION_DAYS))
                .orElse(Workflow.DEFAULT_ARBITRATION_DAYS);
    }
}
