package cn.crb.domain.evaluation;

/** The status of one evaluated line; only ELIGIBLE and PARTIAL lines carry credits. */
public enum LineStatus { ELIGIBLE, PARTIAL, INELIGIBLE, HOLD, DUPLICATE, STORE_ONLY }
