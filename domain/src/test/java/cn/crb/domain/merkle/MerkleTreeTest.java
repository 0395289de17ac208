package cn.crb.domain.merkle;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The incremental tree gives exactly the bytes of the pure RFC 9162 functions of {@link Merkle}. */
class MerkleTreeTest {
    static final int MAX = 70;

    @Test
    void everyRootInclusionAndConsistencyProofEqualsThePureFunctions() {
        List<byte[]> all = MerkleTest.leaves(MAX);
        MerkleTree tree = new MerkleTree();
        for (int n = 1; n <= MAX; n++) {
            assertThat(tree.append(all.get(n - 1))).isEqualTo(n - 1);
            List<byte[]> leaves = all.subList(0, n);
            assertThat(tree.size()).isEqualTo(n);
            assertThat(tree.root()).isEqualTo(Merkle.root(leaves));
            for (int size = 0; size <= n; size++) {
                assertThat(tree.root(size)).as("root of %d within %d", size, n).isEqualTo(Merkle.root(all.subList(0, size)));
            }
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = tree.inclusionProof(i, n);
                assertThat(proof).as("inclusion %d of %d", i, n).containsExactlyElementsOf(Merkle.inclusionProof(i, leaves));
                assertThat(Merkle.verifyInclusion(i, n, all.get(i), proof, tree.root())).isTrue();
            }
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = tree.consistencyProof(m, n);
                assertThat(proof).as("consistency %d..%d", m, n).containsExactlyElementsOf(Merkle.consistencyProof(m, leaves));
                assertThat(Merkle.verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).isTrue();
            }
        }
    }

    @Test
    void proofsAgainstAnOlderSizeEqualThoseOfThatPrefix() {
        List<byte[]> all = MerkleTest.leaves(MAX);
        MerkleTree tree = MerkleTree.of(all);
        for (int size = 1; size <= MAX; size += 7) {
            for (int i = 0; i < size; i++) {
                assertThat(tree.inclusionProof(i, size)).containsExactlyElementsOf(Merkle.inclusionProof(i, all.subList(0, size)));
            }
        }
    }

    @Test
    void truncateForgetsTheDroppedLeavesAndTheirNodes() {
        List<byte[]> all = MerkleTest.leaves(MAX);
        List<byte[]> other = MerkleTest.leaves(2 * MAX).subList(MAX, 2 * MAX);
        for (int cut : new int[] {0, 1, 7, 8, 33, 64, MAX}) {
            MerkleTree tree = MerkleTree.of(all);
            tree.truncate(cut);
            assertThat(tree.size()).isEqualTo(cut);
            assertThat(tree.root()).isEqualTo(Merkle.root(all.subList(0, cut)));
            for (int i = cut; i < MAX; i++) tree.append(other.get(i));
            List<byte[]> expected = new java.util.ArrayList<>(all.subList(0, cut));
            expected.addAll(other.subList(cut, MAX));
            assertThat(tree.root()).as("after cutting at %d and growing again", cut).isEqualTo(Merkle.root(expected));
            for (int i = 0; i < MAX; i++) assertThat(tree.inclusionProof(i, MAX)).containsExactlyElementsOf(Merkle.inclusionProof(i, expected));
        }
    }

    @Test
    void refusesWhatIsNotThere() {
        MerkleTree tree = MerkleTree.of(MerkleTest.leaves(5));
        assertThatThrownBy(() -> tree.inclusionProof(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.inclusionProof(0, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.root(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.truncate(6)).isInstanceOf(IllegalArgumentException.class);
    }
}
