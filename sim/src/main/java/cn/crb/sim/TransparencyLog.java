package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.sim.http.Problem;
import cn.crb.domain.merkle.Merkle;
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
 * canonical bytes). Leaf hashes live in the database; a copy is cached in memory and re-read whenever its size
 * differs from the table's (every use happens inside a transaction, under the database lock).
 * Signed tree heads ({@code creditbank.tree-head/1} {treeSize, rootHash, timestamp}) are stored per size;
 * hashes travel as lowercase hex.
 */
final class TransparencyLog {
    static final String TREE_HEAD = "creditbank.tree-head/1";
    private static final HexFormat HEX = HexFormat.of();
    private final PlatformKey key;
    private final List<byte[]> cache = new ArrayList<>();

    TransparencyLog(PlatformKey key) {
        this.key = key;
    }

    List<byte[]> leaves(Tx tx) throws SQLException {
        long size = tx.count("SELECT COUNT(*) FROM log_leaf");
        if (size != cache.size()) {
            cache.clear();
            cache.addAll(tx.list("SELECT leaf_hash FROM log_leaf ORDER BY idx", rs -> rs.getBytes(1)));
        }
        return cache;
    }

    /** Appends an envelope; returns its log index. */
    long append(Tx tx, Envelope envelope) throws SQLException {
        List<byte[]> leaves = leaves(tx);
        long index = leaves.size();
        byte[] leaf = Merkle.leafHash(Json.canonical(envelope.toJson()));
        tx.update("INSERT INTO log_leaf (idx, leaf_hash, envelope_sm3) VALUES (?,?,?)", index, leaf, envelope.sm3());
        leaves.add(leaf);
        return index;
    }

    /** The signed head for the current size, signing (and storing) a new one if none exists for that size yet. */
    JsonNode head(Tx tx, Instant now) throws SQLException {
        List<byte[]> leaves = leaves(tx);
        var stored = tx.one("SELECT envelope FROM tree_head WHERE tree_size = ?", rs -> Json.parse(rs.getString(1)), (long) leaves.size());
        if (stored.isPresent()) return stored.get();
        String root = HEX.formatHex(Merkle.root(leaves));
        ObjectNode p = Json.object();
        p.put("treeSize", leaves.size());
        p.put("rootHash", root);
        p.put("timestamp", Envelope.timestamp(now));
        JsonNode env = key.sign(TREE_HEAD, p, now).toJson();
        tx.update("INSERT INTO tree_head (tree_size, root_hash, envelope) VALUES (?,?,?)", (long) leaves.size(), root, Json.write(env));
        return env;
    }

    /** A receipt for the leaf at {@code index} against the signed head {@code head} (of the current size). */
    ObjectNode receipt(Tx tx, long index, JsonNode head) throws SQLException {
        List<byte[]> leaves = leaves(tx);
        ObjectNode r = Json.object();
        r.put("logIndex", index);
        r.put("treeSize", leaves.size());
        r.put("rootHash", head.path("payload").path("rootHash").asText());
        ArrayNode proof = r.putArray("inclusionProof");
        for (byte[] h : Merkle.inclusionProof((int) index, leaves)) proof.add(HEX.formatHex(h));
        r.set("treeHead", head);
        return r;
    }

    /** {@code GET /api/v1/log/consistency}: {from, to, proof[]}. */
    ObjectNode consistency(Tx tx, long from, long to) throws SQLException {
        List<byte[]> leaves = leaves(tx);
        if (from < 0 || to < from || to > leaves.size()) {
            throw Problem.malformed("need 0 <= from <= to <= " + leaves.size() + ", got from=" + from + " to=" + to);
        }
        ObjectNode r = Json.object();
        r.put("from", from);
        r.put("to", to);
        r.put("fromRootHash", HEX.formatHex(Merkle.root(leaves.subList(0, (int) from))));
        r.put("toRootHash", HEX.formatHex(Merkle.root(leaves.subList(0, (int) to))));
        ArrayNode proof = r.putArray("proof");
        for (byte[] h : Merkle.consistencyProof((int) from, leaves.subList(0, (int) to))) proof.add(HEX.formatHex(h));
        return r;
    }
}
