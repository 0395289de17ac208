-- The identities of stored rows (idDigest, catalogueCode, achievedOn, certificateCode) move from a unique constraint
-- on BULK_ROW to their own table, written when a job ends live (BulkRepository.finishImport: one INSERT ... SELECT in
-- the same transaction as the job's state) instead of chunk by chunk while the file is read: the digests are random,
-- so every committed chunk of a thousand rows rewrote and re-encrypted about as many index pages
-- (docs/performance.md, "Bulk import"). Rows of one job are distinct by the importer's in-file duplicate check
-- (the same four values), rows of earlier live jobs are skipped by looking them up here, and the primary key still
-- makes a second copy impossible. A job left IMPORTING by a crash has no identities (its rows are removed on open).
CREATE TABLE BULK_IDENTITY (
  ID_DIGEST CHAR(64) NOT NULL,
  CATALOGUE_CODE VARCHAR(64) NOT NULL,
  ACHIEVED_ON DATE NOT NULL,
  CERTIFICATE_CODE VARCHAR(200) NOT NULL,
  JOB_ID BIGINT NOT NULL,
  CONSTRAINT BULK_IDENTITY_KEY PRIMARY KEY (ID_DIGEST, CATALOGUE_CODE, ACHIEVED_ON, CERTIFICATE_CODE),
  CONSTRAINT BULK_IDENTITY_JOB FOREIGN KEY (JOB_ID) REFERENCES BULK_JOB (ID)
);

INSERT INTO BULK_IDENTITY (ID_DIGEST, CATALOGUE_CODE, ACHIEVED_ON, CERTIFICATE_CODE, JOB_ID)
  SELECT ID_DIGEST, CATALOGUE_CODE, ACHIEVED_ON, CERTIFICATE_CODE, JOB_ID FROM BULK_ROW;

ALTER TABLE BULK_ROW DROP CONSTRAINT BULK_ROW_IDENTITY;
