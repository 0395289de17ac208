package cn.crb.domain.bulk;

/** PARTIAL submits the valid rows and keeps the invalid ones for export; ALL_OR_NOTHING submits nothing when any row is invalid. */
public enum ImportMode { PARTIAL, ALL_OR_NOTHING }
