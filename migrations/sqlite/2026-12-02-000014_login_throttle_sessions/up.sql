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

