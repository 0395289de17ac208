package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.sim.http.Problem;
import cn.crb.domain.merkle.Merkle;
import cn.crb.domain.merkle.MerkleTree;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The platform's append-only transparency log (contract 06): RFC 9162 with SM3, leaf = SM3(0x00 ‖ envelope
 * canonical bytes). Leaf hashes live in the database; an in-memory {@link MerkleTree} (which keeps every complete
 * subtree's hash, so roots and proofs cost O(log² n)) mirrors them and is re-read whenever its size differs from the
 * table's, checked once per transaction (every use happens inside a transaction, under the database lock; a rolled
 * back append is caught by the next transaction's check). Signed tree heads ({@code creditbank.tree-head/1}
 * {treeSize, rootHash, timestamp}) are stored per size; hashes travel as lowercase hex.
 */
final class TransparencyLog {
    static final String TREE_HEAD = "creditbank.tree-head/1";
    private static final HexFormat HEX = HexFormat.of();
    private final PlatformKey key;
    private MerkleTree tree = new MerkleTree();
    /** The transaction in which {@link #tree} was last checked against the table. */
    private Tx checkedIn;

    TransparencyLog(PlatformKey key) {
        this.key = key;
    }

    /** One leaf to append: the envelope's SM3 and its canonical bytes. */
    record Leaf(String envelopeSm3, byte[] canonical) {}

    private MerkleTree tree(Tx tx) throws SQLException {
        if (checkedIn != tx) {
            long size = tx.count("SELECT COUNT(*) FROM log_leaf");
            if (size != tree.size()) {
                tree = MerkleTree.of(tx.list("SELECT leaf_hash FROM log_leaf ORDER BY idx", rs -> rs.getBytes(1)));
            }
            checkedIn = tx;
        }
        return tree;
    }

    /** Appends an envelope; returns its log index. */
    long append(Tx tx, Envelope envelope) throws SQLException {
        return appendAll(tx, List.of(new Leaf(envelope.sm3(), Json.canonical(envelope.toJson())))).getFirst();
    }

    /** Appends envelopes in the given order with one batched insert; returns their log indexes. */
    List<Long> appendAll(Tx tx, List<Leaf> leaves) throws SQLException {
        MerkleTree t = tree(tx);
        List<Long> indexes = new ArrayList<>(leaves.size());
        List<Object[]> rows = new ArrayList<>(leaves.size());
        for (Leaf l : leaves) {
            byte[] hash = Merkle.leafHash(l.canonical());
            long index = t.append(hash);
            indexes.add(index);
            rows.add(new Object[] {index, hash, l.envelopeSm3()});
        }
        tx.batch("INSERT INTO log_leaf (idx, leaf_hash, envelope_sm3) VALUES (?,?,?)", rows);
        return indexes;
    }

    /** The signed head for the current size, signing (and storing) a new one if none exists for that size yet. */
    JsonNode head(Tx tx, Instant now) throws SQLException {
        MerkleTree t = tree(tx);
        var stored = tx.one("SELECT envelope FROM tree_head WHERE tree_size = ?", rs -> Json.parse(rs.getString(1)), (long) t.size());
        if (stored.isPresent()) return stored.get();
        String root = HEX.formatHex(t.root());
        ObjectNode p = Json.object();
        p.put("treeSize", t.size());
        p.put("rootHash", root);
        p.put("timestamp", Envelope.timestamp(now));
        JsonNode env = key.sign(TREE_HEAD, p, now).toJson();
        tx.update("INSERT INTO tree_head (tree_size, root_hash, envelope) VALUES (?,?,?)", (long) t.size(), root, Json.write(env));
        return env;
    }

    /** A receipt for the leaf at {@code index} against the signed head {@code head} (of the current size). */
    ObjectNode receipt(Tx tx, long index, JsonNode head) throws SQLException {
        MerkleTree t = tree(tx);
        int size = head.path("payload").path("treeSize").asInt();
        ObjectNode r = Json.object();
        r.put("logIndex", index);
        r.put("treeSize", size);
        r.put("rootHash", head.path("payload").path("rootHash").asText());
        ArrayNode proof = r.putArray("inclusionProof");
        for (byte[] h : t.inclusionProof((int) index, size)) proof.add(HEX.formatHex(h));
        r.set("treeHead", head);
        return r;
    }

    /** {@code GET /api/v1/log/consistency}: {from, to, proof[]}. */
    ObjectNode consistency(Tx tx, long from, long to) throws SQLException {
        MerkleTree t = tree(tx);
        if (from < 0 || to < from || to > t.size()) {
            throw Problem.malformed("need 0 <= from <= to <= " + t.size() + ", got from=" + from + " to=" + to);
        }
        ObjectNode r = Json.object();
        r.put("from", from);
        r.put("to", to);
        r.put("fromRootHash", HEX.formatHex(t.root((int) from)));
        r.put("toRootHash", HEX.formatHex(t.root((int) to)));
        ArrayNode proof = r.putArray("proof");
        for (byte[] h : t.consistencyProof((int) from, (int) to)) proof.add(HEX.formatHex(h));
        return r;
    }
}
