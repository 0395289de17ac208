-- The clerk's signed creditbank.submission-batch/1 envelope of a job, stored (with its audit entry) before it is first
-- sent: a resume after a crash or a lost answer sends the same bytes again, so the platform's receipt is for the
-- envelope held here and can be verified against it (contract 04, 06). IF NOT EXISTS: H2 commits each statement, so a
-- kill before Flyway records V47 runs it again.
ALTER TABLE BULK_JOB ADD COLUMN IF NOT EXISTS COMPLETION_ENVELOPE CLOB;
