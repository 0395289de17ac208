-- The platform's per-row results of a bulk job in a table of their own, keyed like the rows. Written into BULK_ROW
-- (RESULT_STATUS, RESULT_CODE), each result rewrote its whole row — the row's JSON of about 500 characters, with the
-- pages it sits on re-encrypted —, and every read of the results decrypted every row's pages: completing a
-- 100,000-row job took 14–17 s with rows of a real size and opening it 2 s (docs/performance.md, "The platform's
-- per-row results"). The two columns of BULK_ROW are left in place, no longer written or read (dropping them would
-- rewrite every stored row); results stored there before are copied here. Safe to run again (a process killed after
-- H2 committed part of it and before Flyway recorded it): the table is created if missing, and rows copied once.
CREATE TABLE IF NOT EXISTS BULK_RESULT (
  JOB_ID BIGINT NOT NULL,
  SEQ BIGINT NOT NULL,
  ROW_NO BIGINT NOT NULL,
  STATUS VARCHAR(16) NOT NULL,
  CODE VARCHAR(64),
  PRIMARY KEY (JOB_ID, SEQ),
  CONSTRAINT BULK_RESULT_JOB FOREIGN KEY (JOB_ID) REFERENCES BULK_JOB (ID)
);

INSERT INTO BULK_RESULT (JOB_ID, SEQ, ROW_NO, STATUS, CODE)
  SELECT R.JOB_ID, R.SEQ, R.ROW_NO, R.RESULT_STATUS, R.RESULT_CODE FROM BULK_ROW R
  WHERE R.RESULT_STATUS IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM BULK_RESULT X WHERE X.JOB_ID = R.JOB_ID AND X.SEQ = R.SEQ);

-- The refused rows of a job found without walking its accepted ones (the wizard lists them first).
CREATE INDEX IF NOT EXISTS BULK_RESULT_STATUS ON BULK_RESULT (JOB_ID, STATUS, SEQ);

-- The counts, kept with the job when it completes: the wizard shows them without counting a million results.
ALTER TABLE BULK_JOB ADD COLUMN IF NOT EXISTS ACCEPTED_ROWS BIGINT;
ALTER TABLE BULK_JOB ADD COLUMN IF NOT EXISTS REFUSED_ROWS BIGINT;
UPDATE BULK_JOB J SET
  ACCEPTED_ROWS = (SELECT COUNT(*) FROM BULK_RESULT R WHERE R.JOB_ID = J.ID AND R.STATUS = 'ACCEPTED'),
  REFUSED_ROWS = (SELECT COUNT(*) FROM BULK_RESULT R WHERE R.JOB_ID = J.ID AND R.STATUS <> 'ACCEPTED')
  WHERE J.STATE = 'COMPLETE' AND J.ACCEPTED_ROWS IS NULL;
