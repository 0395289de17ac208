package cn.crb.localdb;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import static cn.crb.localdb.jooq.Tables.TREE_HEAD;

/**
 * The last transparency-log tree head this workstation verified (signature against the pinned platform key, and
 * consistency with the head held before it). Only ever replaced by a head at least as large: the held head never
 * moves backwards.
 */
public final class TreeHeadRepository {
    private final LocalDatabase db;
    private final Clock clock;

    public TreeHeadRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A verified head: size, root (lowercase hex) and the signed {@code creditbank.tree-head/1} envelope. */
    public record Held(long treeSize, String rootHash, JsonNode envelope, OffsetDateTime verifiedAt) {}

    public Optional<Held> held() {
        return db.dsl().selectFrom(TREE_HEAD).where(TREE_HEAD.ID.eq(1)).fetchOptional()
                .map(r -> new Held(r.getTreeSize(), r.getRootHash(), Json.parse(r.getHeadEnvelope()), r.getVerifiedAt()));
    }

    /** Stores a head the caller verified; returns false (and changes nothing) when a larger head is already held. */
    public boolean save(long treeSize, String rootHash, JsonNode envelope) {
        return db.inTransaction(tx -> {
            var d = tx.dsl();
            var cur = d.selectFrom(TREE_HEAD).where(TREE_HEAD.ID.eq(1)).forUpdate().fetchOne();
            if (cur != null && cur.getTreeSize() > treeSize) return false;
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            if (cur == null) {
                d.insertInto(TREE_HEAD).set(TREE_HEAD.ID, 1).set(TREE_HEAD.TREE_SIZE, treeSize).set(TREE_HEAD.ROOT_HASH, rootHash)
                        .set(TREE_HEAD.HEAD_ENVELOPE, Json.write(envelope)).set(TREE_HEAD.VERIFIED_AT, now).execute();
            } else {
                d.update(TREE_HEAD).set(TREE_HEAD.TREE_SIZE, treeSize).set(TREE_HEAD.ROOT_HASH, rootHash)
                        .set(TREE_HEAD.HEAD_ENVELOPE, Json.write(envelope)).set(TREE_HEAD.VERIFIED_AT, now).where(TREE_HEAD.ID.eq(1)).execute();
            }
            return true;
        });
    }
}
