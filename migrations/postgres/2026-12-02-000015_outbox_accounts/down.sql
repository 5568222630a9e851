DROP TRIGGER audit_events_no_delete ON audit_events;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
DROP FUNCTION audit_events_delete_only_after_a_year();
ALTER TABLE users DROP COLUMN sessions_valid_after;
ALTER TABLE users DROP COLUMN email_verified_at;
DROP TABLE account_tokens;
DROP TABLE outbox_deliveries;
DROP TABLE outbox_events;
