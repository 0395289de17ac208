-- Rejected rows' cells hold raw resident IDs: from now on they are stored sealed (SM4-GCM under a key derived from
-- the database key, FieldSeal, decision 0006), never in clear, not even inside the encrypted database. CELLS_JSON is
-- kept only so that rows written before this migration can be sealed when the database is next opened
-- (BulkRepository.sealLegacyRejects), after which it is always NULL.
ALTER TABLE BULK_REJECT ADD COLUMN CELLS_SEALED CLOB;
ALTER TABLE BULK_REJECT ALTER COLUMN CELLS_JSON DROP NOT NULL;
