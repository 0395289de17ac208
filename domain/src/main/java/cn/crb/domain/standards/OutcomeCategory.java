package cn.crb.domain.standards;

/** The category of a learning outcome (学历教育 / 职业技能 / 社会学习) and of a catalogue entry. */
public enum OutcomeCategory { ACADEMIC, VOCATIONAL, SOCIAL }
