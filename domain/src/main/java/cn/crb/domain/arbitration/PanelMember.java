package cn.crb.domain.arbitration;

/** A member of the expert panel: who, with which key, from which institution, and whether they chair it. */
public record PanelMember(String personId, String keyId, String displayName, String institution, boolean chair) {}
