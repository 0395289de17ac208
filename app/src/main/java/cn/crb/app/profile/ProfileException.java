package cn.crb.app.profile;

/**
 * A profile operation that failed for a reason a person can act on. {@link #reason()} selects the localized
 * message ({@code error.<reason>} in the message bundles); {@link #argument()} fills it in.
 */
public final class ProfileException extends Exception {
    /** Why; each has a message in both languages. */
    public enum Reason {
        PASSPHRASE_WEAK, PASSPHRASE_MISMATCH, WRONG_PASSPHRASE, TOO_MANY_ATTEMPTS, PROFILE_EXISTS, PROFILE_UNKNOWN, PROFILE_IN_USE,
        ENROLMENT_REFUSED, PLATFORM_UNREACHABLE, PLATFORM_UNTRUSTED, PLATFORM_URL_INVALID, STORAGE, ROLE_NOT_HELD,
        KEYSTORE_UNREADABLE, KEYSTORE_MISMATCHED, KEY_NOT_ON_PANEL, MEMBER_RECUSED, ALREADY_VOTED, VOTED_BEFORE_RECUSAL, ARBITRATION_FINAL, NOT_CHAIR, NO_RESULT_YET, SESSION_CHANGED, OBJECTION_REFUSED, EVIDENCE_MISMATCH, EVIDENCE_UNREADABLE,
        NOTICE_FONT_MISSING, NOTICE_NOT_SIGNED, MINUTES_NOT_CLOSED, NOTICE_NOT_WRITTEN,
        PLATFORM_PINS_MISSING, PLATFORM_PLAIN_HTTP, AMENDMENT_INVALID
    }

    private final Reason reason;
    private final String argument;

    public ProfileException(Reason reason, String argument, Throwable cause) {
        super(reason + (argument == null ? "" : ": " + argument), cause);
        this.reason = reason;
        this.argument = argument;
    }

    public Reason reason() { return reason; }
    public String argument() { return argument; }
}
