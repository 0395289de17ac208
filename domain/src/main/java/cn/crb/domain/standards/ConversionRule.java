package cn.crb.domain.standards;

import java.math.BigDecimal;

/** Maps a catalogue code to a course of a receiving institution, with a credit ceiling. */
public record ConversionRule(String id, String sourceCode, String targetInstitution, String targetCourse,
                             String targetCourseName, BigDecimal maxCredits) {}
