package cn.crb.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The log's read side for the API: the latest signed tree head and consistency proofs. */
final class TransparencyLogApi {
    private final Db db;
    private final TransparencyLog log;
    private final SimClock clock;

    TransparencyLogApi(Db db, TransparencyLog log, SimClock clock) {
        this.db = db;
        this.log = log;
        this.clock = clock;
    }

    JsonNode treeHead() {
        var now = clock.now();
        return db.tx(tx -> log.head(tx, now));
    }

    ObjectNode consistency(long from, long to) {
        return db.tx(tx -> log.consistency(tx, from, to));
    }
}
