ALTER TABLE refresh_tokens DROP COLUMN family_started_at;

DROP TABLE throttle_buckets;
CREATE TABLE throttle_buckets (
    bucket TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    failures INTEGER NOT NULL
);
