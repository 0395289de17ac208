package cn.crb.domain.standards;

/** The type of an academic course; each has its own hours-per-credit ratio in the bundle. */
public enum CourseType { THEORY, PRACTICE, MIXED }
