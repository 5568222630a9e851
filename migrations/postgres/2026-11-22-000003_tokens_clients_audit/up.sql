-- Refresh tokens: opaque, stored as SHA-256, rotated on every use. A token of a family that was
-- already used (a replay) revokes the whole family.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- API clients of integration scripts: the secret is shown once and stored as SHA-256.
CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    -- Space-separated scopes, e.g. 'directory:read directory:write'.
    scopes TEXT NOT NULL,
    organisation_id TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The audit log: append-only (triggers refuse UPDATE and DELETE). Written in the same
-- transaction as the change it records. No personal data in details.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    -- 'user:<id>', 'client:<id>', 'anonymous' or 'system'.
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    -- The user whose personal data the event concerns, for their export.
    subject_user_id TEXT,
    -- Why personal data was read.
    purpose TEXT,
    request_id TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX audit_events_actor ON audit_events (actor, id);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id, id);
CREATE INDEX audit_events_action ON audit_events (action, id);
CREATE INDEX audit_events_subject ON audit_events (subject_user_id, id);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- Failed-login counters per account and per client address, in fixed windows. Kept in the
-- database so that every instance sees the same counts.
CREATE TABLE throttle_buckets (
    bucket TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    failures INTEGER NOT NULL
);
