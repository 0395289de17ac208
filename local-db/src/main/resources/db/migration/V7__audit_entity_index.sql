-- The outbox checks that an envelope about to be sent has its ENVELOPE_QUEUED audit entry (found by entity id).
CREATE INDEX AUDIT_ENTRY_ENTITY ON AUDIT_ENTRY (ENTITY_ID, ACTION);
