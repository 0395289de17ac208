package cn.crb.sync;

import okhttp3.OkHttpClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The workstation's one HTTP stack (OkHttp): connection pool, dispatcher threads and timeouts.
 * Create one per application (or per command) and close it when done so that its threads stop.
 * <p>
 * A production platform is reached over TLS with its certificate pinned ({@link #pinned}): a primary and a backup
 * pin, each {@code sha256/<base64 of the SHA-256 of the SubjectPublicKeyInfo>} (OkHttp's pin format). The pins are
 * the trust anchor, checked in the TLS handshake by the trust manager: the server's certificate is accepted when its key
 * matches one of them, or when it was issued (through the chain's CAs) by a certificate whose key does (so a
 * self-signed platform certificate works, a pinned CA of the platform's own too, and no other CA can issue a substitute). OkHttp's own
 * {@code CertificatePinner} is not used: it checks the chain as cleaned against trusted roots, which for a
 * self-signed certificate trusted only through its pin is empty, so it refuses every connection. A key that matches
 * no pin is refused with {@link PinMismatchException}. Plain HTTP is for a platform on loopback only
 * (the demo and tests): {@link #check} refuses anything else.
 */
public final class HttpTransport implements AutoCloseable {
    /**
     * Makes the client on first use: building an OkHttpClient loads the TLS stack and the system's trust store
     * (≈ 0.3 s at a cold start), which the workstation's first screen does not need.
     */
    private final java.util.function.Supplier<OkHttpClient> factory;
    private final Set<String> pins;
    private volatile OkHttpClient client;

    /** Plain HTTP (or TLS trusted by the system's CAs, unpinned): for a platform on loopback. */
    public HttpTransport() {
        this(() -> base().build(), Set.of());
    }

    private HttpTransport(java.util.function.Supplier<OkHttpClient> factory, Set<String> pins) {
        this.factory = factory;
        this.pins = pins;
    }

    /**
     * For a platform whose certificate key must match one of {@code pins} (primary first, then backups); {@code host}
     * is the platform's host name (kept for the caller's messages; hostname verification stays on).
     */
    public static HttpTransport pinned(String host, List<String> pins) {
        if (pins == null || pins.isEmpty()) throw new IllegalArgumentException("a pinned platform needs at least one pin");
        for (String p : pins) {
            if (!p.startsWith("sha256/") || decode(p.substring(7)) == null || decode(p.substring(7)).length != 32) {
                throw new IllegalArgumentException("a pin is sha256/ and the base64 of 32 bytes, not " + p);
            }
        }
        Set<String> set = Set.copyOf(pins);
        return new HttpTransport(() -> {
            X509TrustManager trust = new PinTrust(set);
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {trust}, new SecureRandom());
                return base().sslSocketFactory(ctx.getSocketFactory(), trust).build();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
            }
        }, set);
    }

    /**
     * Refuses a platform URL this transport must not talk to: plain HTTP to anything but loopback, or HTTPS without
     * pins. Called by {@link PlatformClient}, and by whoever wants to refuse such an address before using it.
     *
     * @throws IllegalArgumentException saying what is wrong with the address
     */
    public void check(URI platform) {
        String scheme = platform.getScheme() == null ? "" : platform.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("http")) {
            if (!isLoopback(platform.getHost())) {
                throw new IllegalArgumentException("plain http is allowed only for a platform on this machine (loopback); use https with pinned certificates: " + platform);
            }
        } else if (scheme.equals("https")) {
            if (pins.isEmpty() && !isLoopback(platform.getHost())) {
                throw new IllegalArgumentException("a platform reached over https needs its certificate pins (a primary and a backup): " + platform);
            }
        } else {
            throw new IllegalArgumentException("the platform URL must be http (loopback) or https: " + platform);
        }
    }

    /**
     * Loopback by its name {@code localhost} or as a literal address (127.x.x.x, ::1). Other names are not resolved:
     * a name that resolves to 127.0.0.1 now may resolve elsewhere when the connection is made (DNS rebinding), and the
     * token would then travel in clear.
     */
    static boolean isLoopback(String host) {
        if (host == null) return false;
        if (host.equalsIgnoreCase("localhost")) return true;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (h.contains(":") && h.matches("[0-9a-fA-F:.%]+"));
        if (!literal) return false;
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * No redirect is followed: the platform is reached only at the address configured (and pinned), never at one its
     * answer names — OkHttp would otherwise follow one from https to plain http, re-sending a 307's body (an enrolment
     * code, say). A 3xx is a PROTOCOL failure ({@link PlatformClient#kindOf}).
     */
    private static OkHttpClient.Builder base() {
        return new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(60));
    }

    OkHttpClient client() {
        OkHttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) client = c = factory.get();
            }
        }
        return c;
    }

    /** Builds the client now (e.g. in the background while a person types the passphrase), so the first request does not wait for it. */
    public void warmUp() {
        client();
    }

    /** {@code sha256/<base64>} of a certificate's SubjectPublicKeyInfo. */
    public static String pinOf(X509Certificate certificate) {
        try {
            return "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The platform presented a certificate whose key matches none of the pins. */
    public static final class PinMismatchException extends CertificateException {
        PinMismatchException(String message) { super(message); }
    }

    /**
     * Trusts a chain when the server's certificate is pinned, or is signed, link by link through certificate
     * authorities of the chain, by a certificate that is pinned — every certificate up to the pinned one within its
     * validity. A pinned certificate merely present in the chain proves nothing (anybody can send the platform's
     * public certificate along with their own): the handshake proves only that the server holds the key of the first.
     */
    static final class PinTrust implements X509TrustManager {
        private final Set<String> pins;

        PinTrust(Set<String> pins) { this.pins = pins; }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("the platform presented no certificate");
            chain[0].checkValidity();
            StringBuilder seen = new StringBuilder();
            // from the server's certificate up through its issuers, each found anywhere in what was sent (TLS 1.3 allows
            // any order), each used once
            boolean[] used = new boolean[chain.length];
            used[0] = true;
            X509Certificate current = chain[0];
            for (int depth = 0; depth < chain.length; depth++) {
                String pin = pinOf(current);
                if (pins.contains(pin)) return;
                seen.append(seen.isEmpty() ? "" : ", ").append(pin);
                int next = -1;
                for (int k = 1; k < chain.length && next < 0; k++) {
                    if (!used[k] && issued(chain[k], current)) next = k;
                }
                if (next < 0) break; // what else was sent does not vouch for the server's certificate
                used[next] = true;
                current = chain[next];
            }
            throw new PinMismatchException("the platform's certificate matches none of the pinned keys (presented " + seen + ")");
        }

        /**
         * Whether {@code issuer} is a certificate authority (basic constraints, and key usage allowing certificate
         * signing when it says), that signed {@code subject}. An expired issuer is refused with its own message.
         */
        private static boolean issued(X509Certificate issuer, X509Certificate subject) throws CertificateException {
            if (issuer.getBasicConstraints() < 0) return false;
            boolean[] usage = issuer.getKeyUsage();
            if (usage != null && (usage.length <= 5 || !usage[5])) return false;
            if (!subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) return false;
            try {
                subject.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                return false;
            }
            try {
                issuer.checkValidity();
            } catch (java.security.cert.CertificateExpiredException | java.security.cert.CertificateNotYetValidException e) {
                throw new CertificateException("the certificate authority that issued the platform's certificate (" + issuer.getSubjectX500Principal()
                        + ") is not valid now: " + e.getMessage(), e);
            }
            return true;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("no client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    @Override
    public void close() {
        OkHttpClient client = this.client;
        if (client == null) return;
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
