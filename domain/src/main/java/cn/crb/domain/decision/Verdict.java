package cn.crb.domain.decision;

/** A reviewer's verdict (contract 03); CONFIRM/DECLINE are the receiving institution's, CONFIRMED/IRREGULAR an inspection's. */
public enum Verdict {
    APPROVE, APPROVE_PARTIAL, REJECT, REQUEST_MATERIALS, CONFIRM, DECLINE, CONFIRMED, IRREGULAR
}
