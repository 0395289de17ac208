-- Whether the clock of a case's current step runs (contract 03: REQUEST_MATERIALS pauses the REVIEW clock until the
-- materials arrive; a case closed at its step has no deadline), and how long it was paused earlier in the step, as
-- read from the case document when it is received (cn.crb.domain.cases.StepClock). NULL: a row received before this
-- column existed; the inbox reads it from the stored document once. IF NOT EXISTS: H2 commits each statement, so a
-- kill before Flyway records V46 runs it again.
ALTER TABLE CASE_CACHE ADD COLUMN IF NOT EXISTS STEP_CLOCK VARCHAR(8);
ALTER TABLE CASE_CACHE ADD COLUMN IF NOT EXISTS PAUSED_SECONDS BIGINT;
