-- The outbox: what happened (an event), and each message it causes (a delivery: an e-mail to a
-- user, a webhook to a subscription), written in the same transaction as the change itself, so
-- nothing is announced that did not happen and nothing that happened is lost. A dispatcher on
-- every instance claims due deliveries (a lease in claimed_until), sends them and records the
-- outcome; a failure is retried later (next_attempt_at) until it is given up.
CREATE TABLE outbox_events (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    -- e.g. 'account.verification_requested', 'listing.published'.
    event_type TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    -- What a webhook receiver gets as `data` (JSON). No secrets, no e-mail addresses.
    payload TEXT NOT NULL
);
CREATE INDEX outbox_events_occurred ON outbox_events (occurred_at);

CREATE TABLE outbox_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES outbox_events (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    -- email: the user the message is for (the address is read when sending, so no address waits
    -- here); webhook: the subscription.
    recipient TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMP NOT NULL,
    -- Held by a dispatcher until then; another may take it over after (a crashed instance).
    claimed_until TIMESTAMP,
    -- A short description without personal data (an SMTP reply code, an HTTP status).
    last_error TEXT,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_deliveries_due ON outbox_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_deliveries_event ON outbox_deliveries (event_id);
CREATE INDEX outbox_deliveries_listing ON outbox_deliveries (created_at, id);

-- Single-use tokens sent by e-mail (verifying an address, resetting a password): random, stored
-- as SHA-256, short-lived. Made when the message is sent, so no usable token waits in the outbox.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires ON account_tokens (expires_at);

-- A self-registered account logs in once its address is confirmed; accounts made by an admin
-- or on the command line (and every account made before this) count as confirmed.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;
UPDATE users SET email_verified_at = created_at;
-- Access tokens issued before this instant no longer work (a password change or reset ends the
-- account's other sessions at once, not when their tokens expire).
ALTER TABLE users ADD COLUMN sessions_valid_after TIMESTAMP;

-- Retention: the audit log stays append-only for its first year whatever is configured; the
-- retention sweep may delete older rows (docs/security.md gives the period and why).
CREATE FUNCTION audit_events_delete_only_after_a_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.occurred_at >= (now() AT TIME ZONE 'UTC') - interval '365 days' THEN
        RAISE EXCEPTION 'the audit log is append-only: rows younger than a year are never deleted';
    END IF;
    RETURN OLD;
END;
$$;
DROP TRIGGER audit_events_no_delete ON audit_events;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_delete_only_after_a_year();
