package cn.crb.domain.bulk;

/**
 * The rows of one import by their 128-bit identity fingerprint, for the duplicate check within a file: for each
 * fingerprint, the number of the first row that had it. Open addressing over three parallel arrays (linear probing,
 * at most half full), so a million rows are three arrays of primitives rather than three million small objects that
 * every young collection of the import had to copy and promote (a {@code HashMap} of records and boxed longs).
 * Not thread-safe: one per import.
 */
final class FingerprintTable {
    private long[] his;
    private long[] los;
    /** The first row's number plus one; 0 marks a free slot. */
    private long[] rows;
    private int size;

    FingerprintTable() {
        this(1 << 12);
    }

    FingerprintTable(int capacity) {
        int c = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        his = new long[c];
        los = new long[c];
        rows = new long[c];
    }

    int size() { return size; }

    /**
     * Records {@code rowNumber} for the fingerprint unless it is already there; returns the number of the row that
     * had it first, or -1 when this is its first row.
     */
    long putIfAbsent(long hi, long lo, long rowNumber) {
        if (rowNumber < 0) throw new IllegalArgumentException("row number " + rowNumber);
        int mask = rows.length - 1;
        int i = slot(hi, lo, mask);
        while (rows[i] != 0) {
            if (his[i] == hi && los[i] == lo) return rows[i] - 1;
            i = (i + 1) & mask;
        }
        his[i] = hi;
        los[i] = lo;
        rows[i] = rowNumber + 1;
        if (++size * 2 > rows.length) grow();
        return -1;
    }

    private static int slot(long hi, long lo, int mask) {
        // the fingerprint is a digest: its bits are already uniform
        return (int) (lo ^ (lo >>> 32)) & mask;
    }

    private void grow() {
        long[] oh = his, ol = los, or = rows;
        his = new long[oh.length * 2];
        los = new long[oh.length * 2];
        rows = new long[oh.length * 2];
        int mask = rows.length - 1;
        for (int j = 0; j < or.length; j++) {
            if (or[j] == 0) continue;
            int i = slot(oh[j], ol[j], mask);
            while (rows[i] != 0) i = (i + 1) & mask;
            his[i] = oh[j];
            los[i] = ol[j];
            rows[i] = or[j];
        }
    }
}
