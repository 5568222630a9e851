-- The activity's vocabulary terms and languages once more, as `vocabulary:code` and
-- `language:xx` in an array with a GIN index: PostgreSQL can then AND the term and language
-- filters with the text and place indexes in one bitmap, instead of looking up the join tables
-- for every candidate row (measured: 117 ms -> 27 ms for a broad word + two filters + 2 km at
-- 100,000 activities). The join tables stay the source; the store rewrites this array with them.
ALTER TABLE activities ADD COLUMN filter_codes TEXT[] NOT NULL DEFAULT '{}';
UPDATE activities a SET filter_codes = ARRAY(
    SELECT t.vocabulary || ':' || t.code FROM activity_terms t WHERE t.activity_id = a.id
    UNION ALL
    SELECT 'language:' || l.language FROM activity_languages l WHERE l.activity_id = a.id
);
CREATE INDEX activities_filter_codes ON activities USING GIN (filter_codes);
