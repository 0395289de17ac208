package cn.crb.domain.standards;

/** An institution's standing: ACTIVE, SUSPENDED (its outcomes go on HOLD) or BLACKLISTED (never recognised). */
public enum InstitutionStatus { ACTIVE, SUSPENDED, BLACKLISTED }
