package cn.crb.domain.bench;

import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.crypto.Sm3;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.security.KeyPair;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The workstation's SM algorithms on one thread, to set beside {@code openssl speed} (docs/performance.md, "Anchors"):
 * <ul>
 *   <li>{@code sm2Sign} / {@code sm2Verify}: {@link Sm2#sign} / {@link Sm2#verify} exactly as the workstation calls
 *       them (a new {@code SM3withSM2} {@code Signature} per call, default ID, SM3(Z_A ‖ M)) on a 32-byte message —
 *       {@code openssl speed sm2} also signs a short message with SM3 over Z_A ‖ M;</li>
 *   <li>{@code sm3}: {@link Sm3#digest} of an 8 KiB buffer ({@code openssl speed -evp sm3 -bytes 8192});</li>
 *   <li>{@code sm4Gcm}: SM4-GCM encryption of 8 KiB with BouncyCastle's {@code GCMBlockCipher} over {@code SM4Engine},
 *       the construction of {@code BatchCrypto} and {@code FieldSeal} (fresh nonce per message, 128-bit tag);</li>
 *   <li>{@code sm4Ctr}: SM4-CTR (BouncyCastle {@code SICBlockCipher}) of 8 KiB — OpenSSL 3.0 has no SM4-GCM, so
 *       {@code openssl speed -evp sm4-ctr} is compared with this, like for like, and with GCM as an upper bound.</li>
 * </ul>
 * Scores are operations per second; for the 8 KiB benchmarks MB/s = ops/s × 8192 / 10⁶.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Threads(1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmark {
    public static final int BLOCK = 8192;
    private KeyPair keys;
    private byte[] message;
    private byte[] signature;
    private byte[] block;
    private byte[] out;
    private byte[] key;
    private byte[] nonce;
    private long counter;

    @Setup
    public void setUp() {
        Random r = new Random(8);
        keys = Sm2.generate();
        message = new byte[32];
        r.nextBytes(message);
        signature = Sm2.sign(keys.getPrivate(), message);
        block = new byte[BLOCK];
        r.nextBytes(block);
        out = new byte[BLOCK + 16];
        key = new byte[16];
        r.nextBytes(key);
        nonce = new byte[12];
    }

    @Benchmark
    public byte[] sm2Sign() {
        return Sm2.sign(keys.getPrivate(), message);
    }

    @Benchmark
    public boolean sm2Verify() {
        return Sm2.verify(keys.getPublic(), message, signature);
    }

    @Benchmark
    public byte[] sm3() {
        return Sm3.digest(block);
    }

    @Benchmark
    public byte[] sm4Gcm() throws InvalidCipherTextException {
        // a distinct nonce per message, as the workstation's random nonces are (GCM refuses a repeated key+nonce)
        long c = ++counter;
        for (int i = 0; i < 8; i++) nonce[i] = (byte) (c >>> (8 * i));
        GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
        gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce));
        int n = gcm.processBytes(block, 0, BLOCK, out, 0);
        gcm.doFinal(out, n);
        return out;
    }

    @Benchmark
    public byte[] sm4Ctr() {
        long c = ++counter;
        byte[] iv = new byte[16];
        for (int i = 0; i < 8; i++) iv[i] = (byte) (c >>> (8 * i));
        CTRModeCipher ctr = SICBlockCipher.newInstance(new SM4Engine());
        ctr.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        ctr.processBytes(block, 0, BLOCK, out, 0);
        return out;
    }
}
