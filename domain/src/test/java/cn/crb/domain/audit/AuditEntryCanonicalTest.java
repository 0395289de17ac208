package cn.crb.domain.audit;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct canonical writer of an audit entry gives exactly the bytes of the general RFC 8785 implementation. */
class AuditEntryCanonicalTest {
    private static final String ALPHABET = "aZ09-_:.\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u00e9\u2028\u2029中文案件\uffff";

    private static String random(Random r, int max) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(20) == 0) b.appendCodePoint(0x1F600 + r.nextInt(50)); // a surrogate pair
            else b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    @Test
    void directBytesEqualTheGeneralImplementationForAnyText() {
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            long seq = switch (i % 4) {
                case 0 -> i;
                case 1 -> r.nextLong(1L << 53);
                case 2 -> 1L << 53;
                default -> r.nextInt(1000);
            };
            AuditEntry e = new AuditEntry(seq, random(r, 30), random(r, 70), random(r, 20), random(r, 10), random(r, 40),
                    random(r, 70), random(r, 70), null);
            byte[] direct = e.canonicalDirect();
            assertThat(direct).as("entry %d", i).isNotNull();
            assertThat(direct).as("entry %d", i).isEqualTo(e.canonicalViaJson());
        }
    }

    @Test
    void aLoneSurrogateOrAHugeSeqTakesTheGeneralPath() {
        AuditEntry lone = new AuditEntry(1, "2026-11-25T00:00:00.000Z", "k", "A", "case", "C-\ud800", "d", "p", null);
        assertThat(lone.canonicalDirect()).isNull();
        AuditEntry huge = new AuditEntry((1L << 53) + 1, "2026-11-25T00:00:00.000Z", "k", "A", "case", "C", "d", "p", null);
        assertThat(huge.canonicalDirect()).isNull();
        assertThat(huge.computeHash()).hasSize(64);
    }
}
