package cn.crb.domain.merkle;

import cn.crb.domain.crypto.Sm3;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree hash of RFC 9162 §2.1 with SM3 as the hash: leaf hash = SM3(0x00 ‖ data),
 * node hash = SM3(0x01 ‖ left ‖ right), the hash of the empty tree = SM3 of the empty string.
 * Generation (§2.1.1–2.1.2 MTH, PATH, PROOF) and verification (§2.1.3.2, §2.1.4.2) of inclusion and
 * consistency proofs. Pure functions over lists of leaf hashes; depends on nothing but {@link Sm3}. The platform
 * (platform-sim) generates proofs with it and the workstation verifies receipts and tree heads with it.
 */
public final class Merkle {
    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};

    private Merkle() {}

    /** SM3(0x00 ‖ data). */
    public static byte[] leafHash(byte[] data) {
        return Sm3.digest(LEAF_PREFIX, data);
    }

    /** SM3(0x01 ‖ left ‖ right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        return Sm3.digest(NODE_PREFIX, left, right);
    }

    /** MTH over the given leaf hashes (already {@link #leafHash}ed). */
    public static byte[] root(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 0) return Sm3.digest();
        if (n == 1) return leafHashes.getFirst().clone();
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(root(leafHashes.subList(0, k)), root(leafHashes.subList(k, n)));
    }

    /** PATH(m, D[n]): the inclusion proof of leaf {@code index} in the tree of the given leaf hashes. */
    public static List<byte[]> inclusionProof(int index, List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (index < 0 || index >= n) throw new IllegalArgumentException("leaf index " + index + " not in a tree of size " + n);
        List<byte[]> proof = new ArrayList<>();
        path(index, leafHashes, proof);
        return proof;
    }

    private static void path(int m, List<byte[]> d, List<byte[]> out) {
        int n = d.size();
        if (n == 1) return;
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, d.subList(0, k), out);
            out.add(root(d.subList(k, n)));
        } else {
            path(m - k, d.subList(k, n), out);
            out.add(root(d.subList(0, k)));
        }
    }

    /**
     * PROOF(m, D[n]): the consistency proof from the tree of the first {@code oldSize} leaves to the tree of all
     * of them. Empty when {@code oldSize} is 0 or equals the size.
     */
    public static List<byte[]> consistencyProof(int oldSize, List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (oldSize < 0 || oldSize > n) throw new IllegalArgumentException("old size " + oldSize + " not within 0.." + n);
        List<byte[]> proof = new ArrayList<>();
        if (oldSize == 0 || oldSize == n) return proof;
        subproof(oldSize, leafHashes, true, proof);
        return proof;
    }

    private static void subproof(int m, List<byte[]> d, boolean complete, List<byte[]> out) {
        int n = d.size();
        if (m == n) {
            if (!complete) out.add(root(d));
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, d.subList(0, k), complete, out);
            out.add(root(d.subList(k, n)));
        } else {
            subproof(m - k, d.subList(k, n), false, out);
            out.add(root(d.subList(0, k)));
        }
    }

    /** RFC 9162 §2.1.3.2: does {@code proof} show the leaf at {@code index} is in the tree of {@code size} with {@code root}? */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || leafHash == null || root == null) return false;
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * RFC 9162 §2.1.4.2: does {@code proof} show the tree of {@code oldSize} with {@code oldRoot} is a prefix of the
     * tree of {@code newSize} with {@code newRoot}? Equal sizes need an empty proof and equal roots; an empty old
     * tree is consistent with every tree.
     */
    public static boolean verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
        if (oldSize < 0 || oldSize > newSize || oldRoot == null || newRoot == null) return false;
        if (oldSize == newSize) return proof.isEmpty() && MessageDigest.isEqual(oldRoot, newRoot);
        if (oldSize == 0) return proof.isEmpty();
        if (proof.isEmpty()) return false;
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(oldSize) == 1) path.addFirst(oldRoot);
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.getFirst();
        byte[] sr = path.getFirst();
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, oldRoot) && MessageDigest.isEqual(sr, newRoot);
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
