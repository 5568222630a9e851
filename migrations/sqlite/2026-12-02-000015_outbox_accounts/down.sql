DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
ALTER TABLE users DROP COLUMN sessions_valid_after;
ALTER TABLE users DROP COLUMN email_verified_at;
DROP TABLE account_tokens;
DROP TABLE outbox_deliveries;
DROP TABLE outbox_events;
