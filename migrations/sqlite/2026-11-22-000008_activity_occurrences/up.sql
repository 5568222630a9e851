-- What the schedule search filters and sorts on, derived from the schedule on every write:
-- the local start time in minutes after midnight, whether all places are taken, the next start
-- (kept current by the server's sweep), and the occurrences themselves for the next months, so
-- weekday and date filters see cancellations, pauses and holidays exactly.
ALTER TABLE activities ADD COLUMN start_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN is_full BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN next_occurrence_at TIMESTAMP;
-- The instant up to which activity_occurrences holds this activity's occurrences; NULL until the
-- sweep (or a write) has expanded the schedule.
ALTER TABLE activities ADD COLUMN occurrences_until TIMESTAMP;
CREATE INDEX activities_next_occurrence ON activities (status, next_occurrence_at, id);
CREATE INDEX activities_next_due ON activities (next_occurrence_at);
CREATE INDEX activities_occurrences_until ON activities (occurrences_until);

CREATE TABLE activity_occurrences (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    -- UTC; the local date's bounds are converted to UTC for date filters.
    starts_at TIMESTAMP NOT NULL,
    -- The local weekday, 1 = Monday ... 7 = Sunday.
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    PRIMARY KEY (activity_id, starts_at)
);
CREATE INDEX activity_occurrences_start ON activity_occurrences (starts_at, activity_id);
