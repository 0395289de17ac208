package cn.crb.domain.standards;

import java.util.Map;

/** Workflow settings: calendar-day deadlines per step, deemed consent, and arbitration settings. */
public record Workflow(Map<String, Integer> deadlineDays, boolean deemedConsent, Arbitration arbitration) {
    public Workflow {
        deadlineDays = Map.copyOf(deadlineDays);
    }

    /** Arbitration settings: minimum panel size, quorum, and the deadline in calendar days. */
    public record Arbitration(int minPanel, int quorum, int deadlineDays) {}
}
