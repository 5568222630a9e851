DROP TABLE activity_occurrences;
DROP INDEX activities_occurrences_until;
DROP INDEX activities_next_due;
DROP INDEX activities_next_occurrence;
ALTER TABLE activities DROP COLUMN occurrences_until;
ALTER TABLE activities DROP COLUMN next_occurrence_at;
ALTER TABLE activities DROP COLUMN is_full;
ALTER TABLE activities DROP COLUMN start_minute;
