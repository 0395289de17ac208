-- Draining a large outbox was bound by H2 writing pages (each commit rewrites, encrypts and undo-logs every page a
-- changed row sits on) and by reading CLOBs (each one copied into every result that held it). So:
-- the signed envelope, written once and never changed, moves to a table of its own as a plain string (envelopes are
-- a few kB; the largest, an arbitration result with its votes, stays far below 1 MB), and the OUTBOX rows, updated
-- two or three times on their way, stay small; the receipt becomes a plain string too.
CREATE TABLE OUTBOX_ENVELOPE (
  ID BIGINT NOT NULL PRIMARY KEY,
  ENVELOPE VARCHAR(1000000) NOT NULL,
  CONSTRAINT OUTBOX_ENVELOPE_ROW FOREIGN KEY (ID) REFERENCES OUTBOX (ID)
);
INSERT INTO OUTBOX_ENVELOPE (ID, ENVELOPE) SELECT ID, ENVELOPE FROM OUTBOX;
ALTER TABLE OUTBOX DROP COLUMN ENVELOPE;
ALTER TABLE OUTBOX ALTER COLUMN RECEIPT SET DATA TYPE VARCHAR(1000000);
