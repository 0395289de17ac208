-- A prepared bulk row's JSON (about 600 bytes: masked, digested and encrypted values) is stored inside its row: as a
-- CLOB of more than 256 bytes it went to H2's separate LOB store, which cost every row writes to three more maps and a
-- cleaner thread afterwards (docs/performance.md, "Bulk import", session 7). Only this column changes: a database-wide
-- SET MAX_LENGTH_INPLACE_LOB would also have moved the envelopes and audit details of signing into their rows, and
-- signing's median got slower with it. Rows stored before are converted here, once. Safe to run again (a process
-- killed after H2 committed the change and before Flyway recorded it): the column then already has this type.
ALTER TABLE BULK_ROW ALTER COLUMN ROW_JSON SET DATA TYPE CHARACTER VARYING(1000000000);
