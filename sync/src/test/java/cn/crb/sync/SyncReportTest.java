package cn.crb.sync;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncReportTest {
    private static SyncReport report(SyncReport.Outcome outcome, List<String> standards, int inserted, int updated, int withdrawn,
                                     int accepted, int duplicate, int conflict, int rejected) {
        return new SyncReport(outcome, null, standards, List.of(), inserted, updated, withdrawn, 1,
                accepted, duplicate, conflict, rejected, false, 3, 7, -1);
    }

    @Test
    void anOfflineAttemptChangesNothingTheScreensShow() {
        assertFalse(report(SyncReport.Outcome.RETRY_LATER, List.of(), 0, 0, 0, 0, 0, 0, 0).changedLocalData());
        assertFalse(report(SyncReport.Outcome.COMPLETE, List.of(), 0, 0, 0, 0, 0, 0, 0).changedLocalData());
    }

    @Test
    void pulledCasesStandardsOrAnsweredEnvelopesAreChanges() {
        assertTrue(report(SyncReport.Outcome.RETRY_LATER, List.of(), 1, 0, 0, 0, 0, 0, 0).changedLocalData()); // a page applied before the network went
        assertTrue(report(SyncReport.Outcome.COMPLETE, List.of(), 0, 1, 0, 0, 0, 0, 0).changedLocalData());
        assertTrue(report(SyncReport.Outcome.COMPLETE, List.of(), 0, 0, 1, 0, 0, 0, 0).changedLocalData());
        assertTrue(report(SyncReport.Outcome.COMPLETE, List.of("2026.2"), 0, 0, 0, 0, 0, 0, 0).changedLocalData());
        assertTrue(report(SyncReport.Outcome.COMPLETE, List.of(), 0, 0, 0, 1, 0, 0, 0).changedLocalData());
        assertTrue(report(SyncReport.Outcome.COMPLETE, List.of(), 0, 0, 0, 0, 1, 0, 0).changedLocalData());
        assertTrue(report(SyncReport.Outcome.FAILED, List.of(), 0, 0, 0, 0, 0, 1, 0).changedLocalData());
        assertTrue(report(SyncReport.Outcome.COMPLETE, List.of(), 0, 0, 0, 0, 0, 0, 1).changedLocalData());
    }
}
