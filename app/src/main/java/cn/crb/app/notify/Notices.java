package cn.crb.app.notify;

import cn.crb.app.dashboard.DashboardService;
import cn.crb.sync.SyncReport;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is worth interrupting a person for (issues 5 and 7): new assignments and returned envelopes after a sync, a
 * sign-in the platform asks for, and — once a day — what is overdue or due today. Plain Java: the UI shows the
 * notices; this decides which, so a reviewer is told what changed and is not nagged by what did not.
 */
public final class Notices {
    /** Where a click on the notice leads. */
    public enum Target { INBOX, INBOX_OVERDUE, INBOX_TODAY, SYNC }

    /** A notice: message key (in the bundles as {@code notice.<key>.title} and {@code .text}), its arguments, its target. */
    public record Notice(String key, List<Object> args, Target target) {
        public Notice {
            args = List.copyOf(args);
        }
    }

    private LocalDate deadlinesShownOn;

    /** The notices after a sync run (background or on demand). */
    public List<Notice> afterSync(SyncReport r) {
        List<Notice> out = new ArrayList<>();
        if (r.outcome() == SyncReport.Outcome.REENROL_NEEDED) out.add(new Notice("signIn", List.of(), Target.SYNC));
        if (r.outcome() == SyncReport.Outcome.PLATFORM_UNTRUSTED) out.add(new Notice("untrusted", List.of(), Target.SYNC));
        if (r.casesInserted() > 0) out.add(new Notice("assigned", List.of(r.casesInserted()), Target.INBOX));
        if (r.casesWithdrawn() > 0) out.add(new Notice("withdrawn", List.of(r.casesWithdrawn()), Target.INBOX));
        int returned = r.envelopesConflict() + r.envelopesRejected();
        if (returned > 0) out.add(new Notice("returned", List.of(returned), Target.SYNC));
        return out;
    }

    /**
     * Overdue and due-today cases, at most once per calendar day per session (the overview reloads after every sync);
     * empty when nothing is pressing.
     */
    public Optional<Notice> deadlines(DashboardService.Dashboard d, LocalDate today) {
        if (today.equals(deadlinesShownOn)) return Optional.empty();
        if (d.overdue() == 0 && d.dueToday() == 0) return Optional.empty();
        deadlinesShownOn = today;
        return Optional.of(new Notice("deadlines", List.of(d.overdue(), d.dueToday()),
                d.overdue() > 0 ? Target.INBOX_OVERDUE : Target.INBOX_TODAY));
    }
}
