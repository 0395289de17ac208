package cn.crb.domain.standards;

/** An institution known to the platform, with its standing. */
public record Institution(String code, String name, String kind, String province, InstitutionStatus status) {}
