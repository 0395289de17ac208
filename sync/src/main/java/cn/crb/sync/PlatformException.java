package cn.crb.sync;

import java.time.Duration;

/**
 * A request to the platform that did not succeed. {@link Kind} tells the caller what a person can do:
 * NETWORK and SERVER are worth retrying later; REFUSED carries the platform's problem code; PROTOCOL means the
 * answer was not what the contract promises (or did not verify) and must not be trusted.
 */
public final class PlatformException extends Exception {
    /** Why the request failed. */
    /** UNTRUSTED: the platform's TLS certificate matches none of the pinned keys (not retried). */
    public enum Kind { NETWORK, SERVER, REFUSED, UNAUTHORIZED, PROTOCOL, UNTRUSTED }

    private final Kind kind;
    private final int httpStatus;
    private final String code;
    private final Duration retryAfter;

    public PlatformException(Kind kind, int httpStatus, String code, String message, Throwable cause) {
        this(kind, httpStatus, code, message, cause, null);
    }

    public PlatformException(Kind kind, int httpStatus, String code, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public Kind kind() { return kind; }
    public int httpStatus() { return httpStatus; }
    /** The problem's {@code code} (contract 04), or null. */
    public String code() { return code; }
    /** The platform's {@code Retry-After}, or null when it sent none. */
    public Duration retryAfter() { return retryAfter; }
    /** True for failures worth retrying later: the network, 5xx, 429. */
    public boolean retryable() { return kind == Kind.NETWORK || kind == Kind.SERVER; }
}
