package cn.crb.domain.merkle;

import cn.crb.domain.crypto.Sm3;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MerkleTest {
    static final int MAX = 40;

    static List<byte[]> leaves(int n) {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(Merkle.leafHash(("leaf-" + i).getBytes(StandardCharsets.UTF_8)));
        return l;
    }

    /** An independent root: the iterative stack algorithm of an append-only log (merge equal-size subtrees). */
    static byte[] stackRoot(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) return Sm3.digest();
        Deque<byte[]> hashes = new ArrayDeque<>();
        Deque<Integer> sizes = new ArrayDeque<>();
        for (byte[] h : leafHashes) {
            hashes.push(h);
            sizes.push(1);
            while (sizes.size() >= 2) {
                int top = sizes.pop();
                int below = sizes.peek();
                if (top != below) {
                    sizes.push(top);
                    break;
                }
                sizes.pop();
                byte[] right = hashes.pop();
                byte[] left = hashes.pop();
                hashes.push(Merkle.nodeHash(left, right));
                sizes.push(top * 2);
            }
        }
        byte[] r = hashes.pop();
        while (!hashes.isEmpty()) r = Merkle.nodeHash(hashes.pop(), r);
        return r;
    }

    @Test
    void hashesUseTheRfc9162DomainSeparationWithSm3() {
        byte[] d = "x".getBytes(StandardCharsets.UTF_8);
        assertThat(Merkle.leafHash(d)).isEqualTo(Sm3.digest(new byte[] {0}, d));
        byte[] a = Merkle.leafHash(d);
        byte[] b = Merkle.leafHash("y".getBytes(StandardCharsets.UTF_8));
        assertThat(Merkle.nodeHash(a, b)).isEqualTo(Sm3.digest(new byte[] {1}, a, b));
        assertThat(Merkle.root(List.of())).isEqualTo(Sm3.digest());
        assertThat(HexFormat.of().formatHex(Merkle.root(List.of())))
                .isEqualTo("1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
        assertThat(Merkle.root(List.of(a))).isEqualTo(a);
        assertThat(Merkle.root(List.of(a, b))).isEqualTo(Merkle.nodeHash(a, b));
    }

    @Test
    void rootAgreesWithAnIndependentAlgorithmForSizes1To40() {
        for (int n = 1; n <= MAX; n++) {
            List<byte[]> l = leaves(n);
            assertThat(Merkle.root(l)).as("size %d", n).isEqualTo(stackRoot(l));
        }
    }

    @Test
    void rfcExampleTreeOfSeven() {
        List<byte[]> d = leaves(7);
        byte[] a = d.get(0), b = d.get(1), c = d.get(2), dd = d.get(3), e = d.get(4), f = d.get(5), j = d.get(6);
        byte[] g = Merkle.nodeHash(a, b), h = Merkle.nodeHash(c, dd), i = Merkle.nodeHash(e, f);
        byte[] k = Merkle.nodeHash(g, h), l = Merkle.nodeHash(i, j);
        assertThat(Merkle.root(d)).isEqualTo(Merkle.nodeHash(k, l));
        assertThat(Merkle.inclusionProof(0, d)).containsExactly(b, h, l);
        assertThat(Merkle.inclusionProof(3, d)).containsExactly(c, g, l);
        assertThat(Merkle.inclusionProof(4, d)).containsExactly(f, j, k);
        assertThat(Merkle.inclusionProof(6, d)).containsExactly(i, k);
        assertThat(Merkle.consistencyProof(3, d)).containsExactly(c, dd, g, l);
        assertThat(Merkle.consistencyProof(4, d)).containsExactly(l);
        assertThat(Merkle.consistencyProof(6, d)).containsExactly(i, j, k);
    }

    @Test
    void everyInclusionProofVerifiesForSizes1To40AndTamperingFails() {
        int checked = 0;
        for (int n = 1; n <= MAX; n++) {
            List<byte[]> l = leaves(n);
            byte[] root = Merkle.root(l);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = Merkle.inclusionProof(m, l);
                assertThat(Merkle.verifyInclusion(m, n, l.get(m), proof, root)).as("leaf %d of %d", m, n).isTrue();
                checked++;
                assertThat(Merkle.verifyInclusion(m, n, Merkle.leafHash(new byte[] {9}), proof, root)).isFalse();
                assertThat(Merkle.verifyInclusion(m, m, l.get(m), proof, root)).isFalse();
                if (n > 1) {
                    assertThat(Merkle.verifyInclusion((m + 1) % n, n, l.get(m), proof, root)).isFalse();
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] first = bad.getFirst().clone();
                    first[0] ^= 1;
                    bad.set(0, first);
                    assertThat(Merkle.verifyInclusion(m, n, l.get(m), bad, root)).isFalse();
                    assertThat(Merkle.verifyInclusion(m, n, l.get(m), proof.subList(0, proof.size() - 1), root)).isFalse();
                    List<byte[]> longer = new ArrayList<>(proof);
                    longer.add(root);
                    assertThat(Merkle.verifyInclusion(m, n, l.get(m), longer, root)).isFalse();
                }
            }
            assertThat(Merkle.verifyInclusion(n, n, l.getFirst(), List.of(), root)).isFalse();
        }
        assertThat(checked).isEqualTo(MAX * (MAX + 1) / 2);
    }

    @Test
    void everyConsistencyProofVerifiesForSizes1To40AndTamperingFails() {
        List<byte[]> all = leaves(MAX);
        for (int n = 1; n <= MAX; n++) {
            List<byte[]> l = all.subList(0, n);
            byte[] newRoot = Merkle.root(l);
            for (int m = 0; m <= n; m++) {
                byte[] oldRoot = Merkle.root(all.subList(0, m));
                List<byte[]> proof = Merkle.consistencyProof(m, l);
                assertThat(Merkle.verifyConsistency(m, n, oldRoot, newRoot, proof)).as("%d -> %d", m, n).isTrue();
                if (m == 0 || m == n) {
                    assertThat(proof).isEmpty();
                    continue;
                }
                byte[] wrongOld = oldRoot.clone();
                wrongOld[5] ^= 1;
                assertThat(Merkle.verifyConsistency(m, n, wrongOld, newRoot, proof)).isFalse();
                byte[] wrongNew = newRoot.clone();
                wrongNew[7] ^= 1;
                assertThat(Merkle.verifyConsistency(m, n, oldRoot, wrongNew, proof)).isFalse();
                assertThat(Merkle.verifyConsistency(m, n, oldRoot, newRoot, List.of())).isFalse();
                assertThat(Merkle.verifyConsistency(n, m, newRoot, oldRoot, proof)).isFalse();
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] x = bad.get(i).clone();
                    x[0] ^= 1;
                    bad.set(i, x);
                    assertThat(Merkle.verifyConsistency(m, n, oldRoot, newRoot, bad)).as("%d -> %d, item %d", m, n, i).isFalse();
                }
                assertThat(Merkle.verifyConsistency(m, n, oldRoot, newRoot, proof.subList(0, proof.size() - 1))).isFalse();
            }
        }
    }

    @Test
    void aRewrittenHistoryIsNotConsistent() {
        List<byte[]> original = leaves(20);
        List<byte[]> rewritten = new ArrayList<>(original);
        rewritten.set(3, Merkle.leafHash("forged".getBytes(StandardCharsets.UTF_8)));
        byte[] oldRoot = Merkle.root(original.subList(0, 10));
        assertThat(Merkle.verifyConsistency(10, 20, oldRoot, Merkle.root(rewritten), Merkle.consistencyProof(10, rewritten))).isFalse();
    }

    @Test
    void equalSizesNeedEqualRoots() {
        List<byte[]> l = leaves(5);
        byte[] r = Merkle.root(l);
        assertThat(Merkle.verifyConsistency(5, 5, r, r, List.of())).isTrue();
        assertThat(Merkle.verifyConsistency(5, 5, r, Merkle.root(leaves(4)), List.of())).isFalse();
        assertThat(Merkle.verifyConsistency(6, 5, r, r, List.of())).isFalse();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Merkle.inclusionProof(3, leaves(3))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Merkle.consistencyProof(4, leaves(3))).isInstanceOf(IllegalArgumentException.class);
    }
}
