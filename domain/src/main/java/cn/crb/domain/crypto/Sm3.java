package cn.crb.domain.crypto;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;

/** SM3 (GB/T 32905) digests as lowercase hex. */
public final class Sm3 {
    private Sm3() {}

    public static byte[] digest(byte[]... parts) {
        SM3Digest d = new SM3Digest();
        for (byte[] p : parts) d.update(p, 0, p.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    public static String hex(byte[]... parts) {
        return HexFormat.of().formatHex(digest(parts));
    }

    public static String hex(InputStream in) throws IOException {
        SM3Digest d = new SM3Digest();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    /** HMAC-SM3 as lowercase hex. */
    public static String hmacHex(byte[] key, byte[] message) {
        HMac mac = new HMac(new SM3Digest());
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
