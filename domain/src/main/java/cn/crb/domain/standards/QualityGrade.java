package cn.crb.domain.standards;

/** The quality grade of an outcome (成果质量分级); the bundle gives each a factor and whether it converts. */
public enum QualityGrade { A, B, C }
