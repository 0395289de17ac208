package cn.crb.domain.bulk;

/** The two accepted formats of a bulk file. */
public enum FileFormat { CSV, XLSX }
