-- The SM3 of the clerk's signed completion envelope, recorded when it is stored (with its BATCH_SUBMITTED entry), so
-- that an envelope altered in the database is refused before it is sent, as a queued envelope is (OUTBOX.ENVELOPE_SM3).
-- Completions stored before this migration have none and are sent as stored. Safe to run again.
ALTER TABLE BULK_JOB ADD COLUMN IF NOT EXISTS COMPLETION_SM3 CHAR(64);
