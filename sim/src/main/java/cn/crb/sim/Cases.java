package cn.crb.sim;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Recognition cases (contract 03) and who sees them. A case is stored as its JSON document; {@code assignedTo}
 * and the panel's key ids are filled in when the case is rendered, from the keys the assignees and panel members
 * have enrolled by then. Every change appends one row per audience member to the assignment feed.
 */
final class Cases {

    /** A stored case: its document and whether it was withdrawn. */
    record Stored(ObjectNode doc, boolean withdrawn) {
        String caseId() { return doc.path("caseId").asText(); }
        int revision() { return doc.path("revision").asInt(); }
        String step() { return doc.path("step").asText(); }
        String receivingInstitution() { return doc.path("programme").path("institution").asText(); }
    }

    static Optional<Stored> find(Tx tx, String caseId) throws SQLException {
        return tx.one("SELECT doc, withdrawn FROM case_doc WHERE case_id = ?",
                rs -> new Stored((ObjectNode) Json.parse(rs.getString(1)), rs.getBoolean(2)), caseId);
    }

    /** Inserts a new case with its assignees; every assignee and every extra audience member gets an UPSERT. */
    static void insert(Tx tx, ObjectNode doc, List<String> assignees, List<String> audience) throws SQLException {
        String id = doc.path("caseId").asText();
        tx.update("INSERT INTO case_doc (case_id, revision, step, doc) VALUES (?,?,?,?)",
                id, doc.path("revision").asInt(), doc.path("step").asText(), Json.write(doc));
        for (String p : assignees) {
            tx.update("INSERT INTO case_assignee (case_id, person_id) VALUES (?,?)", id, p);
            addAudience(tx, id, p);
        }
        for (String p : audience) addAudience(tx, id, p);
        touch(tx, id);
    }

    /** Stores a changed document (the caller sets revision and history) and tells the audience. */
    static void update(Tx tx, ObjectNode doc) throws SQLException {
        String id = doc.path("caseId").asText();
        tx.update("UPDATE case_doc SET revision = ?, step = ?, doc = ? WHERE case_id = ?",
                doc.path("revision").asInt(), doc.path("step").asText(), Json.write(doc), id);
        touch(tx, id);
    }

    static void addAudience(Tx tx, String caseId, String personId) throws SQLException {
        tx.update("MERGE INTO case_audience (case_id, person_id) KEY (case_id, person_id) VALUES (?,?)", caseId, personId);
    }

    /** Appends an UPSERT for the case to the feed of each audience member. */
    static void touch(Tx tx, String caseId) throws SQLException {
        tx.update("INSERT INTO feed (person_id, case_id, kind) SELECT person_id, case_id, 'UPSERT' FROM case_audience WHERE case_id = ? ORDER BY person_id", caseId);
    }

    /** Marks the case withdrawn (cancelled) and appends WITHDRAWN to every audience member's feed. */
    static void withdraw(Tx tx, String caseId) throws SQLException {
        tx.update("UPDATE case_doc SET withdrawn = TRUE WHERE case_id = ?", caseId);
        tx.update("INSERT INTO feed (person_id, case_id, kind) SELECT person_id, case_id, 'WITHDRAWN' FROM case_audience WHERE case_id = ? ORDER BY person_id", caseId);
    }

    static List<String> assignees(Tx tx, String caseId) throws SQLException {
        return tx.list("SELECT person_id FROM case_assignee WHERE case_id = ? ORDER BY person_id", rs -> rs.getString(1), caseId);
    }

    /** Cases the person is an assignee or panel member of (their key ids appear in these cases). */
    static List<String> casesNamingPerson(Tx tx, String personId) throws SQLException {
        return tx.list("""
                SELECT case_id FROM case_assignee WHERE person_id = ?
                UNION SELECT a.case_id FROM arbitration a JOIN arbitration_member m ON m.arbitration_id = a.arbitration_id
                WHERE m.person_id = ?
                ORDER BY 1""", rs -> rs.getString(1), personId, personId);
    }

    /** The case as sent to workstations: the stored document with {@code assignedTo} and panel key ids filled in. */
    static ObjectNode render(Tx tx, ObjectNode stored) throws SQLException {
        ObjectNode doc = stored.deepCopy();
        String id = doc.path("caseId").asText();
        ArrayNode assigned = doc.putArray("assignedTo");
        for (String p : assignees(tx, id)) Enrolments.keyIds(tx, p).forEach(assigned::add);
        JsonNode arb = doc.get("arbitration");
        if (arb != null && arb.isObject()) {
            for (JsonNode member : arb.withArray("panel")) {
                ArrayNode keys = ((ObjectNode) member).putArray("keyIds");
                Enrolments.keyIds(tx, member.path("personId").asText()).forEach(keys::add);
            }
        }
        return doc;
    }
}
