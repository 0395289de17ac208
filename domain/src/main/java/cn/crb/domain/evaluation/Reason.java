package cn.crb.domain.evaluation;

/**
 * The reason codes of contract 02. {@link #INSTITUTION_UNLISTED} is a warning: it is added to a line and evaluation
 * continues; every other code comes with the status that decided the line.
 */
public enum Reason {
    CATALOGUE_UNKNOWN, CATALOGUE_RETIRED, CATEGORY_MISMATCH,
    INSTITUTION_BLACKLISTED, INSTITUTION_SUSPENDED, INSTITUTION_UNLISTED,
    EXPIRED, CERTIFICATE_EXPIRED,
    ALREADY_RECOGNIZED,
    GRADE_NOT_CONVERTIBLE,
    NOT_PASSED, NO_EQUIVALENCE, SCENARIO_UNKNOWN, INSUFFICIENT_HOURS, ASSESSMENT_NOT_MET,
    BELOW_MINIMUM,
    SAME_OUTCOME_TWICE,
    CAPPED
}
