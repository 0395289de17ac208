package cn.crb.domain.merkle;

import cn.crb.domain.crypto.Sm3;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 tree (SM3) that keeps the hash of every complete, aligned subtree, so that the root of any
 * prefix, an inclusion proof and a consistency proof cost O(log² n) hashes instead of the O(n) of the pure functions
 * in {@link Merkle} (which recompute every subtree from the leaves). Gives the same bytes as {@link Merkle}.
 * <p>
 * {@code level(j)[i]} is the hash of the leaves {@code [i·2^j, (i+1)·2^j)}; a node is stored as soon as its subtree
 * is complete. In the RFC's recursion (split at the largest power of two below the size) every left part is such a
 * complete aligned subtree, so only the right edge is hashed afresh. Not thread-safe.
 */
public final class MerkleTree {
    private final List<List<byte[]>> levels = new ArrayList<>();

    public MerkleTree() {
        levels.add(new ArrayList<>());
    }

    /** A tree of the given leaf hashes (already {@link Merkle#leafHash}ed), in order. */
    public static MerkleTree of(List<byte[]> leafHashes) {
        MerkleTree t = new MerkleTree();
        for (byte[] h : leafHashes) t.append(h);
        return t;
    }

    /** The number of leaves. */
    public int size() {
        return levels.getFirst().size();
    }

    /** The leaf hash at {@code index}. */
    public byte[] leaf(int index) {
        return levels.getFirst().get(index).clone();
    }

    /** Appends a leaf hash; returns its index. */
    public int append(byte[] leafHash) {
        if (leafHash == null || leafHash.length != 32) throw new IllegalArgumentException("a leaf hash has 32 bytes");
        int index = size();
        levels.getFirst().add(leafHash.clone());
        int i = index;
        for (int j = 0; (i & 1) == 1; j++) {
            List<byte[]> level = levels.get(j);
            byte[] parent = Merkle.nodeHash(level.get(i - 1), level.get(i));
            if (levels.size() == j + 1) levels.add(new ArrayList<>());
            levels.get(j + 1).add(parent);
            i >>= 1;
        }
        return index;
    }

    /** Drops every leaf from {@code newSize} on (and the nodes that covered them). */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size()) throw new IllegalArgumentException("size " + newSize + " not within 0.." + size());
        for (int j = 0; j < levels.size(); j++) {
            List<byte[]> level = levels.get(j);
            int keep = newSize >> j;
            if (level.size() > keep) level.subList(keep, level.size()).clear();
        }
    }

    /** The root of the whole tree. */
    public byte[] root() {
        return root(size());
    }

    /** The root of the tree of the first {@code treeSize} leaves. */
    public byte[] root(int treeSize) {
        checkSize(treeSize);
        return mth(0, treeSize);
    }

    /** PATH(index, D[treeSize]): the inclusion proof of the leaf at {@code index} in the tree of the first {@code treeSize} leaves. */
    public List<byte[]> inclusionProof(int index, int treeSize) {
        checkSize(treeSize);
        if (index < 0 || index >= treeSize) throw new IllegalArgumentException("leaf index " + index + " not in a tree of size " + treeSize);
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    /** PROOF(oldSize, D[newSize]): the consistency proof from the first {@code oldSize} leaves to the first {@code newSize}. */
    public List<byte[]> consistencyProof(int oldSize, int newSize) {
        checkSize(newSize);
        if (oldSize < 0 || oldSize > newSize) throw new IllegalArgumentException("old size " + oldSize + " not within 0.." + newSize);
        List<byte[]> proof = new ArrayList<>();
        if (oldSize == 0 || oldSize == newSize) return proof;
        subproof(oldSize, 0, newSize, true, proof);
        return proof;
    }

    private void checkSize(int treeSize) {
        if (treeSize < 0 || treeSize > size()) throw new IllegalArgumentException("tree size " + treeSize + " not within 0.." + size());
    }

    /** MTH of the leaves [start, end); every range the RFC recursion asks for starts aligned to its left part. */
    private byte[] mth(int start, int end) {
        int n = end - start;
        if (n == 0) return Sm3.digest();
        if (Integer.bitCount(n) == 1 && start % n == 0) {
            return levels.get(Integer.numberOfTrailingZeros(n)).get(start / n).clone();
        }
        int k = Integer.highestOneBit(n - 1);
        return Merkle.nodeHash(mth(start, start + k), mth(start + k, end));
    }

    private void path(int m, int start, int end, List<byte[]> out) {
        int n = end - start;
        if (n == 1) return;
        int k = Integer.highestOneBit(n - 1);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(mth(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(mth(start, start + k));
        }
    }

    private void subproof(int m, int start, int end, boolean complete, List<byte[]> out) {
        int n = end - start;
        if (m == n) {
            if (!complete) out.add(mth(start, end));
            return;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, start + k, complete, out);
            out.add(mth(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(mth(start, start + k));
        }
    }
}
