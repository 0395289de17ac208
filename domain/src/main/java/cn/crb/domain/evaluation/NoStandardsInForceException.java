package cn.crb.domain.evaluation;

import java.time.LocalDate;

/** No held standards version is in force on a case's {@code appliedOn} date, so the case cannot be evaluated. */
public final class NoStandardsInForceException extends IllegalStateException {
    private final LocalDate date;

    public NoStandardsInForceException(LocalDate date) {
        super("no standards version held is in force on " + date);
        this.date = date;
    }

    public LocalDate date() { return date; }
}
