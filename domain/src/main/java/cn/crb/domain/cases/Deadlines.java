package cn.crb.domain.cases;

import cn.crb.domain.standards.Workflow;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Time left on a case's current step, computed offline (contract 03): the step's limit in calendar days from
 * {@code stepStartedAt}, taken from the workflow of the standards version in force for the case. A REVIEW step whose
 * reviewer has requested materials is paused: no clock runs until a new revision restarts it, and the time it was
 * paused is added to its deadline; a case closed at its step (rejected, declined) has no deadline ({@link StepClock}).
 */
public final class Deadlines {
    private Deadlines() {}

    /** How pressing a case is, for sorting and colouring. */
    public enum Urgency { OVERDUE, DUE_TODAY, DUE_SOON, ON_TRACK, PAUSED, NO_DEADLINE }

    /** The deadline of the step, and how much time is left at {@code now} (negative when overdue). */
    public record TimeLeft(Instant deadline, Duration left, Urgency urgency) {
        /** A sort key: most urgent first; cases without a running clock last. */
        public long sortKey() {
            return left == null ? Long.MAX_VALUE : left.getSeconds();
        }
    }

    public static TimeLeft timeLeft(String step, Instant stepStartedAt, Workflow workflow, Instant now, boolean paused) {
        return timeLeft(step, stepStartedAt, workflow, now, paused ? new StepClock(StepClock.State.PAUSED, Duration.ZERO) : StepClock.RUNNING);
    }

    /**
     * The same with the step's clock as the case document says ({@link StepClock#of}): a closed case has no deadline,
     * a paused one none running, and time paused earlier in the step moves the deadline by as much.
     */
    public static TimeLeft timeLeft(String step, Instant stepStartedAt, Workflow workflow, Instant now, StepClock clock) {
        StepClock c = clock == null ? StepClock.RUNNING : clock;
        if (c.state() == StepClock.State.CLOSED) return new TimeLeft(null, null, Urgency.NO_DEADLINE);
        if (c.state() == StepClock.State.PAUSED) return new TimeLeft(null, null, Urgency.PAUSED);
        Optional<Integer> days = workflow == null || step == null ? Optional.empty() : Optional.ofNullable(workflow.deadlineDays().get(step));
        if (days.isEmpty() || stepStartedAt == null) return new TimeLeft(null, null, Urgency.NO_DEADLINE);
        return until(stepStartedAt.plus(days.get(), ChronoUnit.DAYS).plus(c.pausedBefore()), now);
    }

    /** The time left until a given deadline ({@code null}: no deadline). */
    public static TimeLeft until(Instant deadline, Instant now) {
        if (deadline == null) return new TimeLeft(null, null, Urgency.NO_DEADLINE);
        Duration left = Duration.between(now, deadline);
        Urgency u;
        if (left.isNegative()) u = Urgency.OVERDUE;
        else if (left.compareTo(Duration.ofDays(1)) < 0) u = Urgency.DUE_TODAY;
        else if (left.compareTo(Duration.ofDays(3)) < 0) u = Urgency.DUE_SOON;
        else u = Urgency.ON_TRACK;
        return new TimeLeft(deadline, left, u);
    }
}
