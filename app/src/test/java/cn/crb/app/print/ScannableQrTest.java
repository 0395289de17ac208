package cn.crb.app.print;

import com.google.zxing.common.BitMatrix;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ScannableQrTest {
    /**
     * SM3 values whose code, as ZXing's encoder chooses it (mask 2), ZXing's own detector cannot find on notices rendered
     * at 150 dpi (the first two, at every size) or at 200 dpi (the last two); found among 1,200 random values.
     */
    private static final String[] UNREADABLE_AS_CHOSEN = {
            "100b0bc02c18966778fb50800abe63162db0d20dbc18d4aa485b98c7932538d8",
            "1d74a1d9c9142b40eb8a1d75e0712d633b9a53b71d9342d0e05e6b0af7b7d2a0",
            "65a3d711c265481253c32ec6d16c6d0797318b9a96b02ad2f1bedc27b1aa7ab3",
            "9c35f68931633de5c0e64aa5837a65c56124fefcd5c9b6edc8903fbd4b2ed3e8",
    };

    @Test
    void aValueWhoseChosenMaskDoesNotReadIsPrintedWithAnotherThatDoes() throws Exception {
        for (String sm3 : UNREADABLE_AS_CHOSEN) {
            assertThat(ScannableQr.readsBack(ScannableQr.encode(sm3, -1), sm3)).as("the encoder's own choice for " + sm3).isFalse();
            BitMatrix printed = ScannableQr.encode(sm3);
            assertThat(ScannableQr.readsBack(printed, sm3)).as(sm3).isTrue();
            assertThat(printed.getWidth()).as("the same version: the same size on the page").isEqualTo(ScannableQr.encode(sm3, -1).getWidth());
        }
    }

    @Test
    void everyCodeOfThreeHundredRandomValuesReadsBack() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        byte[] b = new byte[32];
        for (int i = 0; i < 300; i++) {
            random.nextBytes(b);
            String sm3 = HexFormat.of().formatHex(b);
            assertThat(ScannableQr.readsBack(ScannableQr.encode(sm3), sm3)).as(sm3).isTrue();
        }
    }
}
