package cn.crb.domain.standards;

/** Whether a catalogue entry is in use or retired (from its {@code retiredOn} date). */
public enum CatalogueStatus { ACTIVE, RETIRED }
