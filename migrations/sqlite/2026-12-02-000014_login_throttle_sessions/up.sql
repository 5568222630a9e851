-- Login throttling counts failures per (account, address) pair with a delay that grows from the
-- pair's last failure, and forgets a pair a day after its last failure: a bucket needs the time
-- of its last failure. The counters are short-lived, so the table starts afresh.
DROP TABLE throttle_buckets;
CREATE TABLE throttle_buckets (
    bucket TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    failures INTEGER NOT NULL
);
-- The hourly prune deletes buckets without a failure for a day.
CREATE INDEX throttle_buckets_last_failure ON throttle_buckets (last_failure_at);

-- When a refresh-token family (one login) started, carried from token to token, so that the
-- family ends at an absolute age however often it is refreshed. A family of today's tokens
-- started at its earliest token still stored. SQLite adds a NOT NULL column only with a
-- default, so the table is rebuilt (nothing refers to it).
CREATE TABLE refresh_tokens_new (
    token_hash TEXT PRIMARY KEY NOT NULL,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    family_started_at TIMESTAMP NOT NULL
);
INSERT INTO refresh_tokens_new
    SELECT t.token_hash, t.family_id, t.user_id, t.issued_at, t.expires_at, t.used_at, t.revoked_at,
        (SELECT MIN(f.issued_at) FROM refresh_tokens f WHERE f.family_id = t.family_id)
    FROM refresh_tokens t;
DROP TABLE refresh_tokens;
ALTER TABLE refresh_tokens_new RENAME TO refresh_tokens;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
