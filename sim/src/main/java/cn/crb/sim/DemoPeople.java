package cn.crb.sim;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The people of the seeded demo world: every role, with the institutions their recusal depends on. */
final class DemoPeople {
    private DemoPeople() {}

    /** A person to seed. */
    record Seed(String name, List<String> roles, String institution) {}

    static final List<Seed> SEEDS = List.of(
            new Seed("张明", List.of("REVIEWER"), "JSOU"),
            new Seed("李娜", List.of("REVIEWER"), "SHOU"),
            new Seed("王建国", List.of("PANEL_MEMBER", "PANEL_CHAIR"), "SHOU"),
            new Seed("陈静", List.of("PANEL_MEMBER"), "NJU-CE"),
            new Seed("刘洋", List.of("PANEL_MEMBER"), "JSVC-01"),
            new Seed("赵敏", List.of("PANEL_MEMBER"), "GDIA"),
            new Seed("孙伟", List.of("PANEL_MEMBER"), "SHOU"),
            new Seed("周婷", List.of("CLERK"), "TRN-0042"),
            new Seed("吴磊", List.of("CLERK"), "JSOU"));

    /** Inserts the demo people; returns them in seed order. */
    static List<Person> seed(Tx tx, Instant at) throws SQLException {
        List<Person> out = new ArrayList<>();
        for (int i = 0; i < SEEDS.size(); i++) {
            Seed s = SEEDS.get(i);
            out.add(Person.create(tx, s.name(), s.roles(), s.institution(), i + 1, at));
        }
        return out;
    }

    static List<Person> all(Tx tx) throws SQLException {
        return tx.list("SELECT * FROM person WHERE demo_order IS NOT NULL ORDER BY demo_order", Person::read);
    }

    static Person first(Tx tx, String role) throws SQLException {
        return all(tx).stream().filter(p -> p.has(role)).findFirst().orElseThrow();
    }
}
