-- A row's identity registered by a 64-bit key (the first 8 bytes of SHA-256 over idDigest, catalogueCode, achievedOn
-- and certificateCode: BulkRepository.identityKey) that points at the stored row (JOB_ID, SEQ) holding the four
-- values. The key is the table's row key, so registering a job's rows is one insert per row into one B-tree of small
-- entries, in key order (BulkRepository.finishImport sorts them), where BULK_IDENTITY's primary key on the four values
-- themselves was a second, wide B-tree of random keys plus H2's row-id map: at 100,000 rows the registration took
-- 6.7 s of the 15.7 s import (docs/performance.md, "Bulk import"). Two different identities with the same key are
-- possible (2^-64 for a pair; among ten million identities about one chance in 370,000 that any two share a key):
-- the second is then registered in BULK_IDENTITY by its four values, which also keeps the identities registered
-- before this migration (V42 copied them there). A row is "already stored" when its key points at a row with
-- the same four values, or when its four values are in BULK_IDENTITY.
-- IF NOT EXISTS: H2 commits a CREATE TABLE at once, so a process killed after it and before Flyway recorded this
-- migration runs it again on the next start, and then it must not fail.
CREATE TABLE IF NOT EXISTS BULK_ROW_KEY (
  FP BIGINT NOT NULL PRIMARY KEY,
  JOB_ID BIGINT NOT NULL,
  SEQ BIGINT NOT NULL,
  CONSTRAINT BULK_ROW_KEY_JOB FOREIGN KEY (JOB_ID) REFERENCES BULK_JOB (ID)
);
