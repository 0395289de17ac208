package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.merkle.Merkle;
import com.fasterxml.jackson.databind.JsonNode;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks what the platform's transparency log says against the pinned platform key (contract 06): a tree head is
 * trusted only when it is a {@code creditbank.tree-head/1} envelope signed by the pinned key in role PLATFORM; a
 * receipt only when its head is trusted, names the same size and root, and its inclusion proof (RFC 9162 §2.1.3.2)
 * leads from the envelope's leaf hash to that root; a newer head only when a consistency proof (§2.1.4.2) shows the
 * held head's tree is a prefix of it.
 */
public final class TransparencyVerifier {
    public static final String TREE_HEAD = "creditbank.tree-head/1";
    private static final HexFormat HEX = HexFormat.of();

    private static final int CACHE = 64;
    private final PublicKey platformKey;
    private final String platformKeyId;
    /**
     * Heads already verified by this instance, keyed by the envelope's JSON tree (deep equality; equal trees have
     * equal canonical bytes): a push of 500 receipts shares one head, verified once.
     */
    private final Map<JsonNode, Head> verified = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JsonNode, Head> eldest) { return size() > CACHE; }
    };

    public TransparencyVerifier(PublicKey platformKey) {
        this.platformKey = Objects.requireNonNull(platformKey);
        this.platformKeyId = Sm2.keyId(platformKey);
    }

    /** A verified tree head. */
    public record Head(long treeSize, String rootHash, JsonNode envelope) {
        byte[] root() { return HEX.parseHex(rootHash); }
    }

    /** Something the platform sent that does not verify. */
    public static final class UntrustedException extends Exception {
        public UntrustedException(String message) { super(message); }
    }

    /** Verifies a signed tree head envelope. */
    public Head head(JsonNode envelopeJson) throws UntrustedException {
        if (envelopeJson == null) throw new UntrustedException("no tree head");
        synchronized (verified) {
            Head known = verified.get(envelopeJson);
            if (known != null) return known;
        }
        Head h = verifyHead(envelopeJson);
        synchronized (verified) {
            verified.put(envelopeJson.deepCopy(), h);
        }
        return h;
    }

    private Head verifyHead(JsonNode envelopeJson) throws UntrustedException {
        Envelope env;
        try {
            env = Envelope.fromJson(envelopeJson);
        } catch (IllegalArgumentException e) {
            throw new UntrustedException("tree head: " + e.getMessage());
        }
        if (!TREE_HEAD.equals(env.type())) throw new UntrustedException("tree head has type " + env.type());
        Envelope.Verification v = env.verify((keyId, role) -> "PLATFORM".equals(role) && platformKeyId.equals(keyId) ? platformKey : null);
        if (!v.ok()) throw new UntrustedException("tree head is not signed by the pinned platform key: " + v.detail());
        JsonNode size = env.payload().get("treeSize");
        JsonNode root = env.payload().get("rootHash");
        if (size == null || !size.canConvertToLong() || size.asLong() < 0 || root == null || !isHash(root.asText())) {
            throw new UntrustedException("tree head payload lacks treeSize or rootHash");
        }
        return new Head(size.asLong(), root.asText(), envelopeJson);
    }

    /** Verifies a receipt for {@code envelopeJson}; returns its (verified) tree head. */
    public Head receipt(JsonNode envelopeJson, JsonNode receipt) throws UntrustedException {
        if (receipt == null || !receipt.isObject()) throw new UntrustedException("no receipt");
        Head h = head(receipt.get("treeHead"));
        long index = receipt.path("logIndex").asLong(-1);
        if (receipt.path("treeSize").asLong(-1) != h.treeSize() || !h.rootHash().equals(receipt.path("rootHash").asText())) {
            throw new UntrustedException("receipt names another tree than its signed head");
        }
        List<byte[]> proof = hashes(receipt.get("inclusionProof"), "inclusion proof");
        byte[] leaf = Merkle.leafHash(Json.canonical(envelopeJson));
        if (!Merkle.verifyInclusion(index, h.treeSize(), leaf, proof, h.root())) {
            throw new UntrustedException("inclusion proof of log index " + index + " does not verify against the signed head of size " + h.treeSize());
        }
        return h;
    }

    /** Verifies that {@code newer} extends the tree of the held head ({@code heldSize}, {@code heldRoot}). */
    public void consistent(long heldSize, String heldRoot, Head newer, List<String> proofHex) throws UntrustedException {
        if (newer.treeSize() < heldSize) {
            throw new UntrustedException("the platform's log shrank from " + heldSize + " to " + newer.treeSize() + " entries");
        }
        List<byte[]> proof = new ArrayList<>();
        for (String h : proofHex) {
            if (!isHash(h)) throw new UntrustedException("consistency proof holds a malformed hash");
            proof.add(HEX.parseHex(h));
        }
        if (!Merkle.verifyConsistency(heldSize, newer.treeSize(), HEX.parseHex(heldRoot), newer.root(), proof)) {
            throw new UntrustedException("the platform's log of size " + newer.treeSize() + " is not consistent with the head of size "
                    + heldSize + " held here: history was rewritten");
        }
    }

    private static List<byte[]> hashes(JsonNode arr, String what) throws UntrustedException {
        if (arr == null || !arr.isArray()) throw new UntrustedException(what + " missing");
        List<byte[]> out = new ArrayList<>();
        for (JsonNode n : arr) {
            if (!isHash(n.asText())) throw new UntrustedException(what + " holds a malformed hash");
            out.add(HEX.parseHex(n.asText()));
        }
        return out;
    }

    private static boolean isHash(String s) {
        return s != null && s.length() == 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
