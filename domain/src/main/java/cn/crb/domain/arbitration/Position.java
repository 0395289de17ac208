package cn.crb.domain.arbitration;

/** A panel member's position on the objected decision (contract 03). */
public enum Position { UPHOLD, AMEND, OVERTURN }
