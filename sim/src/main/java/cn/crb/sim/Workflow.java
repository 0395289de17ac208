package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's side of the five-step workflow: moving a case on (a new revision with a history entry),
 * bringing the receiving institution's clerks in at CONVERSION, opening an arbitration with a panel, closing it.
 */
final class Workflow {
    static final int DEFAULT_ARBITRATION_DAYS = 15;

    private Workflow() {}

    /**
     * A new revision of the case: {@code step} (the same or the next), a history entry {at, step, by, event?},
     * {@code stepStartedAt} reset when the step changes; clerks of the receiving institution join the audience
     * when the case reaches CONVERSION.
     */
    static ObjectNode advance(Tx tx, ObjectNode doc, String step, Instant at, String by, String event) throws SQLException {
        ObjectNode c = doc.deepCopy();
        boolean changed = !step.equals(c.path("step").asText());
        c.put("revision", c.path("revision").asInt() + 1);
        c.put("step", step);
        if (changed) c.put("stepStartedAt", Envelope.timestamp(at));
        ObjectNode h = c.withArray("history").addObject();
        h.put("at", Envelope.timestamp(at));
        h.put("step", step);
        h.put("by", by);
        if (event != null) h.put("event", event);
        if (step.equals("CONVERSION")) {
            for (Person p : clerksOf(tx, c.path("programme").path("institution").asText())) Cases.addAudience(tx, c.path("caseId").asText(), p.personId());
        }
        Cases.update(tx, c);
        return c;
    }

    /**
     * What the platform does when time passes: a CONVERSION case whose deadline passed with no response gets deemed
     * consent (moves to PUBLIC_NOTICE) when the bundle says {@code deemedConsent}; a PUBLIC_NOTICE case whose notice
     * period ended without an objection moves to ARCHIVE. Returns the number of cases moved.
     */
    static int sweep(Tx tx, JsonNode bundle, Instant now) throws SQLException {
        JsonNode days = bundle.path("workflow").path("deadlineDays");
        boolean deemed = bundle.path("workflow").path("deemedConsent").asBoolean(true);
        int moved = 0;
        List<String> ids = tx.list("SELECT case_id FROM case_doc WHERE NOT withdrawn AND step IN ('CONVERSION', 'PUBLIC_NOTICE') ORDER BY case_id",
                rs -> rs.getString(1));
        for (String id : ids) {
            ObjectNode doc = Cases.find(tx, id).orElseThrow().doc();
            if (doc.path("closed").asBoolean(false) || arbitration(doc) != null) continue;
            String step = doc.path("step").asText();
            Instant due = Instant.parse(doc.path("stepStartedAt").asText()).plus(Duration.ofDays(days.path(step).asInt(step.equals("CONVERSION") ? 10 : 7)));
            if (!due.isBefore(now)) continue;
            if (step.equals("CONVERSION") && deemed) {
                advance(tx, doc, "PUBLIC_NOTICE", due, "platform", "DEEMED_CONSENT");
                moved++;
            } else if (step.equals("PUBLIC_NOTICE")) {
                advance(tx, doc, "ARCHIVE", due, "platform", "NOTICE_ENDED");
                moved++;
            }
        }
        return moved;
    }

    static List<Person> clerksOf(Tx tx, String institution) throws SQLException {
        return tx.list("SELECT * FROM person WHERE institution = ? ORDER BY person_id", Person::read, institution)
                .stream().filter(p -> p.has("CLERK")).toList();
    }

    /**
     * Opens an arbitration on the case for an objection: a panel from the expert pool (the chair and further
     * members, an odd number, at most five), recorded in the case's {@code arbitration} member (an extension:
     * {arbitrationId, state, openedAt, deadline, panel[{personId, displayName, institution, chair, keyIds[]}],
     * objection}); the panel joins the case's audience. Returns the arbitration id.
     */
    static String openArbitration(Tx tx, ObjectNode doc, JsonNode objection, Instant at, int deadlineDays) throws SQLException {
        String caseId = doc.path("caseId").asText();
        List<Person> pool = tx.list("SELECT * FROM person ORDER BY demo_order NULLS LAST, person_id", Person::read)
                .stream().filter(p -> p.has("PANEL_MEMBER") || p.has("PANEL_CHAIR")).toList();
        Person chair = pool.stream().filter(p -> p.has("PANEL_CHAIR")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the expert pool has no panel chair"));
        List<Person> panel = new ArrayList<>();
        panel.add(chair);
        for (Person p : pool) if (p != chair && panel.size() < 5) panel.add(p);
        if (panel.size() % 2 == 0) panel.removeLast();
        if (panel.size() < 3) throw new IllegalStateException("the expert pool is too small for a panel of three");

        long n = tx.count("SELECT COUNT(*) FROM arbitration") + 1;
        String arbitrationId = String.format("A-%s-%04d", caseId.replaceFirst("^C-", ""), n);
        ObjectNode arb = Json.object();
        arb.put("arbitrationId", arbitrationId);
        arb.put("state", "OPEN");
        arb.put("openedAt", Envelope.timestamp(at));
        arb.put("deadline", Envelope.timestamp(at.plus(Duration.ofDays(deadlineDays))));
        ArrayNode members = arb.putArray("panel");
        for (Person p : panel) {
            ObjectNode m = members.addObject();
            m.put("personId", p.personId());
            m.put("displayName", p.displayName());
            m.put("institution", p.institution());
            m.put("chair", p == chair);
            m.putArray("keyIds");
        }
        arb.set("objection", objection);
        tx.update("INSERT INTO arbitration (arbitration_id, case_id, state, doc) VALUES (?,?,?,?)", arbitrationId, caseId, "OPEN", Json.write(arb));
        for (Person p : panel) {
            tx.update("INSERT INTO arbitration_member (arbitration_id, person_id, chair) VALUES (?,?,?)", arbitrationId, p.personId(), p == chair);
            Cases.addAudience(tx, caseId, p.personId());
        }
        ObjectNode c = doc.deepCopy();
        c.set("arbitration", arb);
        advance(tx, c, c.path("step").asText(), at, "platform", "ARBITRATION_OPENED");
        return arbitrationId;
    }

    /** The open or closed arbitration of the case, if any: {@code state} OPEN or FINAL. */
    static JsonNode arbitration(ObjectNode doc) {
        JsonNode a = doc.get("arbitration");
        return a == null || a.isNull() ? null : a;
    }

    static boolean isPanelMember(Tx tx, String arbitrationId, String personId, boolean chairOnly) throws SQLException {
        return tx.count("SELECT COUNT(*) FROM arbitration_member WHERE arbitration_id = ? AND person_id = ?" + (chairOnly ? " AND chair" : ""),
                arbitrationId, personId) > 0;
    }
}
