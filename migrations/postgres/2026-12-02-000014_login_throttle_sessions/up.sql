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
-- started at its earliest token still stored.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at TIMESTAMP;
UPDATE refresh_tokens SET family_started_at =
    (SELECT MIN(f.issued_at) FROM refresh_tokens f WHERE f.family_id = refresh_tokens.family_id);
ALTER TABLE refresh_tokens ALTER COLUMN family_started_at SET NOT NULL;
