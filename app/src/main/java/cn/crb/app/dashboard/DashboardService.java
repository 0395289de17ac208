package cn.crb.app.dashboard;

import cn.crb.app.arbitration.ArbitrationService;
import cn.crb.app.cases.InboxService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.cases.Deadlines;
import cn.crb.domain.decision.DecisionLine;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkJobState;
import cn.crb.localdb.BulkRepository;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.DecisionRepository;
import cn.crb.localdb.OutboxRepository;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The day's load at a glance (issue: dashboard), computed offline from what this workstation holds: the cases by step
 * and by time left, decisions signed per day this week, credits recommended against credits granted by outcome class
 * in the decisions signed here, the open arbitrations of the person's panels, the outbox, and for a clerk the bulk
 * submissions waiting to be sent and the bad rows of the last import. Blocking: call in the background.
 */
public final class DashboardService {
    private final ProfileSession session;
    private final Clock clock;
    private final ZoneId zone;

    public DashboardService(ProfileSession session, Clock clock, ZoneId zone) {
        this.session = session;
        this.clock = clock;
        this.zone = zone;
    }

    /** Credits recommended by the engine and granted by the reviewer, summed over signed decisions. */
    public record Credits(BigDecimal recommended, BigDecimal granted) {
        Credits plus(BigDecimal r, BigDecimal g) { return new Credits(recommended.add(r), granted.add(g)); }
    }

    /**
     * @param byStep          open cases per workflow step (withdrawn ones left out)
     * @param overdue         cases whose step deadline has passed
     * @param dueToday        due within a day
     * @param dueThisWeek     due within seven days (today's included)
     * @param signedPerDay    decisions signed on this workstation per day, the last seven days (oldest first)
     * @param creditsByClass  recommended vs granted credits per outcome class, over the decisions signed here
     */
    /**
     * A clerk's bulk submissions: jobs with rows still to send to the platform (READY, or UPLOADING after an
     * interruption) and how many rows they hold; the last import that ran to its end (newest job neither importing
     * nor cancelled), its file name and its rows rejected, or {@code null} name and 0 when there is none.
     */
    public record Bulk(int jobsToSend, long rowsToSend, String lastFile, long lastRejected) {}

    public record Dashboard(Map<String, Integer> byStep, int overdue, int dueToday, int dueThisWeek, Map<LocalDate, Integer> signedPerDay,
                            Map<OutcomeCategory, Credits> creditsByClass, List<ArbitrationService.Summary> arbitrations,
                            Map<OutboxRepository.State, Integer> outbox, int cases, Bulk bulk, boolean panel, boolean reviewer) {
        /**
         * Whether the person holds the clerk's role (then {@link #bulk} is set); {@code panel}: a panel member's or
         * chair's; {@code reviewer}: an examiner's, who decides cases (the decisions' charts are theirs).
         */
        public boolean clerk() { return bulk != null; }

        /**
         * Whether the cases' part of the overview means anything to this person: a reviewer's, or anybody's who has
         * cases (a receiving institution's clerk confirming conversions). A training institution's clerk without cases
         * sees the batches, the outbox and what needs attention only.
         */
        public boolean casework() { return reviewer || cases > 0; }
    }

    /** The workflow steps in the order cases go through them; the chart keeps this order so that each step keeps its colour. */
    public static final List<String> STEP_ORDER = List.of("APPLICATION", "REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "INSPECTION");

    public Dashboard load() {
        Instant now = clock.instant();
        List<InboxService.Item> items = new InboxService(session, clock).snapshot().items();
        Map<String, Integer> byStep = new TreeMap<>(java.util.Comparator.comparingInt((String st) -> {
            int i = STEP_ORDER.indexOf(st);
            return i < 0 ? STEP_ORDER.size() : i;
        }).thenComparing(java.util.Comparator.naturalOrder()));
        int overdue = 0, today = 0, week = 0, open = 0;
        for (InboxService.Item i : items) {
            if (i.row().withdrawn()) continue;
            open++;
            byStep.merge(i.row().step(), 1, Integer::sum);
            Deadlines.TimeLeft t = i.timeLeft();
            if (t.left() == null) continue;
            if (t.urgency() == Deadlines.Urgency.OVERDUE) overdue++;
            else {
                if (t.left().compareTo(Duration.ofDays(1)) < 0) today++;
                if (t.left().compareTo(Duration.ofDays(7)) < 0) week++;
            }
        }
        LocalDate first = LocalDate.ofInstant(now, zone).minusDays(6);
        Map<LocalDate, Integer> perDay = new TreeMap<>();
        for (int d = 0; d < 7; d++) perDay.put(first.plusDays(d), 0);
        DecisionRepository decisions = new DecisionRepository(session.database(), clock);
        for (DecisionRepository.Signed s : decisions.signedSince(first.atStartOfDay(zone).toInstant())) {
            perDay.merge(LocalDate.ofInstant(s.signedAt(), zone), 1, Integer::sum);
        }
        // recommended vs granted by outcome class, over every decision signed here (not institution responses or inspections)
        List<DecisionRepository.Signed> all = decisions.signedSince(Instant.EPOCH).stream()
                .filter(s -> !s.decision().isInstitutionResponse() && !s.decision().isInspection()).toList();
        Map<String, JsonNode> docs = new CaseRepository(session.database(), clock).caseJsons(all.stream().map(s -> s.decision().caseId()).distinct().toList());
        Map<OutcomeCategory, Credits> byClass = new EnumMap<>(OutcomeCategory.class);
        for (DecisionRepository.Signed s : all) {
            JsonNode doc = docs.get(s.decision().caseId());
            Map<String, String> category = new HashMap<>();
            if (doc != null) for (JsonNode o : doc.path("outcomes")) category.put(o.path("outcomeId").asText(), o.path("category").asText());
            boolean zero = s.decision().totalGranted().signum() == 0;
            for (DecisionLine l : s.decision().lines()) {
                OutcomeCategory c;
                try {
                    c = OutcomeCategory.valueOf(category.getOrDefault(l.outcomeId(), ""));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                BigDecimal granted = zero || l.grantedCredits() == null ? BigDecimal.ZERO : l.grantedCredits();
                byClass.merge(c, new Credits(l.recommendedCredits(), granted), (a, b) -> a.plus(b.recommended(), b.granted()));
            }
        }
        List<ArbitrationService.Summary> arbitrations = new ArbitrationService(session, clock).list().stream()
                .filter(a -> !a.closedHere() && !"FINAL".equals(a.platformState())).toList();
        Map<OutboxRepository.State, Integer> outbox = new OutboxRepository(session.database(), clock).counts();
        Bulk bulk = session.summary().roles().contains("CLERK") ? bulk(new BulkRepository(session.database()).jobs()) : null;
        boolean panel = session.summary().roles().contains("PANEL_MEMBER") || session.summary().roles().contains("PANEL_CHAIR");
        boolean reviewer = session.summary().roles().contains("REVIEWER");
        return new Dashboard(byStep, overdue, today, week, perDay, byClass, arbitrations, outbox, open, bulk, panel, reviewer);
    }

    static Bulk bulk(List<BulkJob> newestFirst) {
        int jobs = 0;
        long rows = 0;
        BulkJob last = null;
        for (BulkJob j : newestFirst) {
            if (j.state() == BulkJobState.READY || j.state() == BulkJobState.UPLOADING) {
                jobs++;
                rows += j.batchRows();
            }
            if (last == null && j.state() != BulkJobState.IMPORTING && j.state() != BulkJobState.CANCELLED) last = j;
        }
        return new Bulk(jobs, rows, last == null ? null : last.fileName(), last == null ? 0 : last.invalidRows());
    }
}
