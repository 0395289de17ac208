package cn.crb.sim;

/** Why an envelope is not accepted: {@code status} CONFLICT or REJECTED, a contract code and a detail. */
final class Refusal extends Exception {
    private final String status;
    private final String code;

    private Refusal(String status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    static Refusal rejected(String code, String detail) {
        return new Refusal("REJECTED", code, detail);
    }

    static Refusal conflict(String code, String detail) {
        return new Refusal("CONFLICT", code, detail);
    }

    String status() { return status; }

    String code() { return code; }
}
