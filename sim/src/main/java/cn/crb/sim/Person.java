package cn.crb.sim;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** A person known to the platform, with the roles the platform grants. */
record Person(String personId, String displayName, List<String> roles, String institution) {
    /** The roles of contract 03. */
    static final Set<String> ROLES = Set.of("REVIEWER", "PANEL_MEMBER", "PANEL_CHAIR", "CLERK");

    Person {
        roles = List.copyOf(roles);
    }

    boolean has(String role) {
        return roles.contains(role);
    }

    static Person read(ResultSet rs) throws SQLException {
        return new Person(rs.getString("person_id"), rs.getString("display_name"),
                Arrays.asList(rs.getString("roles").split(",")), rs.getString("institution"));
    }

    static Person find(Tx tx, String personId) throws SQLException {
        return tx.one("SELECT * FROM person WHERE person_id = ?", Person::read, personId).orElse(null);
    }

    /** Inserts a new person with the next free id {@code P-00001}…, returns it. */
    static Person create(Tx tx, String displayName, List<String> roles, String institution, Integer demoOrder,
                         java.time.Instant at) throws SQLException {
        long n = tx.count("SELECT COUNT(*) FROM person") + 1;
        String id = String.format("P-%05d", n);
        while (find(tx, id) != null) id = String.format("P-%05d", ++n);
        tx.update("INSERT INTO person (person_id, display_name, roles, institution, demo_order, created_at) VALUES (?,?,?,?,?,?)",
                id, displayName, String.join(",", roles), institution, demoOrder, at.atOffset(java.time.ZoneOffset.UTC));
        return new Person(id, displayName, roles, institution);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("personId", personId);
        o.put("displayName", displayName);
        roles.forEach(o.putArray("roles")::add);
        o.put("institution", institution);
        return o;
    }
}
