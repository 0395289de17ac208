package cn.crb.domain.standards;

/** One level of the qualifications framework (资历框架); {@code level} is 1-7. */
public record QfLevel(int level, String name, String descriptor) {}
