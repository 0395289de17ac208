package cn.crb.app.notify;

import cn.crb.app.dashboard.DashboardService;
import cn.crb.sync.SyncReport;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NoticesTest {
    private static SyncReport report(SyncReport.Outcome outcome, int inserted, int withdrawn, int conflict, int rejected) {
        return new SyncReport(outcome, null, List.of(), List.of(), inserted, 3, withdrawn, 1, 5, 0, conflict, rejected, false, 0, 0, 10);
    }

    private static DashboardService.Dashboard dashboard(int overdue, int today) {
        return new DashboardService.Dashboard(Map.of(), overdue, today, today + 2, Map.of(), Map.of(), List.of(), Map.of(), 40, null, false, true);
    }

    @Test
    void aSyncTellsOfNewAndWithdrawnCasesAndOfReturnedEnvelopesOnly() {
        Notices n = new Notices();
        assertThat(n.afterSync(report(SyncReport.Outcome.COMPLETE, 0, 0, 0, 0))).isEmpty();
        assertThat(n.afterSync(report(SyncReport.Outcome.COMPLETE, 12, 2, 1, 2)))
                .containsExactly(new Notices.Notice("assigned", List.of(12), Notices.Target.INBOX),
                        new Notices.Notice("withdrawn", List.of(2), Notices.Target.INBOX),
                        new Notices.Notice("returned", List.of(3), Notices.Target.SYNC));
        assertThat(n.afterSync(report(SyncReport.Outcome.REENROL_NEEDED, 0, 0, 0, 0)))
                .containsExactly(new Notices.Notice("signIn", List.of(), Notices.Target.SYNC));
        assertThat(n.afterSync(report(SyncReport.Outcome.PLATFORM_UNTRUSTED, 0, 0, 0, 0)))
                .extracting(Notices.Notice::key).containsExactly("untrusted");
        // an unreachable platform is shown on the status bar and the Sync screen, not as an interruption
        assertThat(n.afterSync(report(SyncReport.Outcome.RETRY_LATER, 0, 0, 0, 0))).isEmpty();
    }

    @Test
    void deadlinesAreToldOnceADayAndOnlyWhenPressing() {
        Notices n = new Notices();
        LocalDate monday = LocalDate.of(2026, 11, 23);
        assertThat(n.deadlines(dashboard(0, 0), monday)).isEmpty();
        assertThat(n.deadlines(dashboard(0, 4), monday)).contains(new Notices.Notice("deadlines", List.of(0, 4), Notices.Target.INBOX_TODAY));
        assertThat(n.deadlines(dashboard(2, 4), monday)).as("the overview reloads after every sync: told once").isEmpty();
        assertThat(n.deadlines(dashboard(2, 4), monday.plusDays(1)))
                .contains(new Notices.Notice("deadlines", List.of(2, 4), Notices.Target.INBOX_OVERDUE));
    }
}
