package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.merkle.Merkle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Receipts, heads and consistency checked against the pinned key, with trees built by the domain's Merkle functions. */
class TransparencyVerifierTest {
    private static final HexFormat HEX = HexFormat.of();
    private final KeyPair platform = Sm2.generate();
    private final TransparencyVerifier verifier = new TransparencyVerifier(platform.getPublic());

    private static List<JsonNode> envelopes(int n) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Json.object().put("type", "t").put("n", i));
        return out;
    }

    private static List<byte[]> leaves(List<JsonNode> envs) {
        return envs.stream().map(e -> Merkle.leafHash(Json.canonical(e))).toList();
    }

    private JsonNode head(KeyPair key, long size, byte[] root) {
        ObjectNode p = Json.object().put("treeSize", size).put("rootHash", HEX.formatHex(root)).put("timestamp", "2026-11-25T00:00:00.000Z");
        return Envelope.unsigned(TransparencyVerifier.TREE_HEAD, p).sign(key.getPrivate(), key.getPublic(), "PLATFORM", Instant.now()).toJson();
    }

    private ObjectNode receipt(List<JsonNode> envs, int index) {
        List<byte[]> l = leaves(envs);
        byte[] root = Merkle.root(l);
        ObjectNode r = Json.object().put("logIndex", index).put("treeSize", l.size()).put("rootHash", HEX.formatHex(root));
        ArrayNode proof = r.putArray("inclusionProof");
        Merkle.inclusionProof(index, l).forEach(h -> proof.add(HEX.formatHex(h)));
        r.set("treeHead", head(platform, l.size(), root));
        return r;
    }

    @Test
    void aValidReceiptVerifiesAndEveryAlterationIsRefused() throws Exception {
        List<JsonNode> envs = envelopes(13);
        ObjectNode r = receipt(envs, 6);
        assertThat(verifier.receipt(envs.get(6), r).treeSize()).isEqualTo(13);

        assertThatThrownBy(() -> verifier.receipt(envs.get(5), r)).hasMessageContaining("inclusion proof");
        ObjectNode badProof = r.deepCopy();
        ((ArrayNode) badProof.get("inclusionProof")).set(0, Json.mapper().getNodeFactory().textNode("0".repeat(64)));
        assertThatThrownBy(() -> verifier.receipt(envs.get(6), badProof)).hasMessageContaining("inclusion proof");
        ObjectNode otherTree = r.deepCopy().put("treeSize", 12);
        assertThatThrownBy(() -> verifier.receipt(envs.get(6), otherTree)).hasMessageContaining("another tree");
        ObjectNode forged = r.deepCopy();
        forged.set("treeHead", head(Sm2.generate(), 13, Merkle.root(leaves(envs))));
        assertThatThrownBy(() -> verifier.receipt(envs.get(6), forged)).hasMessageContaining("pinned platform key");
    }

    @Test
    void consistencyHoldsForAnAppendOnlyLogOnly() throws Exception {
        List<JsonNode> envs = envelopes(21);
        List<byte[]> l = leaves(envs);
        TransparencyVerifier.Head newer = verifier.head(head(platform, 21, Merkle.root(l)));
        List<String> proof = Merkle.consistencyProof(8, l).stream().map(HEX::formatHex).toList();
        String heldRoot = HEX.formatHex(Merkle.root(l.subList(0, 8)));
        verifier.consistent(8, heldRoot, newer, proof);

        List<byte[]> rewritten = new ArrayList<>(l);
        rewritten.set(3, Merkle.leafHash("changed".getBytes()));
        TransparencyVerifier.Head rewrittenHead = verifier.head(head(platform, 21, Merkle.root(rewritten)));
        List<String> rewrittenProof = Merkle.consistencyProof(8, rewritten).stream().map(HEX::formatHex).toList();
        assertThatThrownBy(() -> verifier.consistent(8, heldRoot, rewrittenHead, rewrittenProof)).hasMessageContaining("not consistent");
        TransparencyVerifier.Head shrunk = verifier.head(head(platform, 5, Merkle.root(l.subList(0, 5))));
        assertThatThrownBy(() -> verifier.consistent(8, heldRoot, shrunk, List.of())).hasMessageContaining("shrank");
    }
}
