-- Free-text search on PostgreSQL: Danish stemming (to_tsvector('danish', ...)) for whole words
-- and their inflections, and trigram substring matching (pg_trgm) for the parts of Danish
-- compounds ("sang" finds "fællessang" and "sangkor"). Expression indexes, so the table keeps
-- the same columns as on SQLite; the queries use exactly these expressions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX activities_text_danish ON activities USING GIN (
    to_tsvector('danish', name || ' ' || summary || ' ' || description)
);
CREATE INDEX activities_text_trigram ON activities USING GIN (
    lower(name || ' ' || summary || ' ' || description) gin_trgm_ops
);
