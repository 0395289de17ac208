package cn.crb.domain.bulk;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FingerprintTableTest {

    @Test
    void theFirstRowOfAFingerprintStaysAndEveryLaterOneIsToldItsNumber() {
        FingerprintTable t = new FingerprintTable();
        assertEquals(-1, t.putIfAbsent(7, 9, 2));
        assertEquals(-1, t.putIfAbsent(9, 7, 3), "the halves in the other order are another fingerprint");
        assertEquals(-1, t.putIfAbsent(7, 10, 4), "the same high half with another low half is another fingerprint");
        assertEquals(2, t.putIfAbsent(7, 9, 5));
        assertEquals(2, t.putIfAbsent(7, 9, 6), "still the first row, not the last duplicate");
        assertEquals(3, t.putIfAbsent(9, 7, 7));
        assertEquals(3, t.size());
    }

    @Test
    void zeroIsAFingerprintLikeAnyOtherAndRowZeroIsARowNumber() {
        FingerprintTable t = new FingerprintTable();
        assertEquals(-1, t.putIfAbsent(0, 0, 0));
        assertEquals(0, t.putIfAbsent(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> t.putIfAbsent(1, 1, -1));
    }

    /** Many fingerprints through several growths, some sharing a slot (same low half), against a HashMap. */
    @Test
    void agreesWithAMapThroughGrowthAndCollidingSlots() {
        FingerprintTable t = new FingerprintTable(16);
        Map<String, Long> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        long[] his = new long[50_000];
        long[] los = new long[50_000];
        for (int i = 0; i < his.length; i++) {
            his[i] = random.nextLong();
            // every fourth shares its low half (so its slot) with the one before; the high half still tells them apart
            los[i] = i % 4 == 3 ? los[i - 1] : random.nextLong();
        }
        for (long row = 2; row < 200_000; row++) {
            int i = random.nextInt(his.length);
            Long first = expected.putIfAbsent(his[i] + ":" + los[i], row);
            assertEquals(first == null ? -1 : first, t.putIfAbsent(his[i], los[i], row), "row " + row);
        }
        assertEquals(expected.size(), t.size());
    }
}
