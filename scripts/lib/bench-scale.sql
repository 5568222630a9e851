-- Scales the demo directory up for benchmarks (PostgreSQL): every published demo activity is
-- cloned :copies times with a fresh id, a numbered name and a location moved up to about 1 km,
-- with its vocabulary terms, languages, housing areas and stored occurrences. Run after
-- `sammen seed --demo`; e.g. psql -v copies=460 -f scripts/lib/bench-scale.sql (≈100,000 published).
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE clone_map ON COMMIT DROP AS
SELECT a.id AS source_id, gen_random_uuid()::text AS id, g.n
FROM activities a CROSS JOIN generate_series(1, :copies) AS g(n)
WHERE a.status = 'published';

INSERT INTO activities (
    id, organisation_id, external_id, status, rejection_reason, name, summary, description, mode, cost_ore,
    registration_required, registration_how, capacity, seeks_volunteers, address, postcode, district_code, lat, lon,
    schedule, pending_content, pending_since, assured_at, published_at, version, created_at, updated_at,
    start_minute, is_full, next_occurrence_at, occurrences_until, filter_codes
)
SELECT m.id, a.organisation_id, NULL, a.status, NULL, a.name || ' ' || m.n, a.summary, a.description, a.mode, a.cost_ore,
    a.registration_required, a.registration_how, a.capacity, a.seeks_volunteers, a.address, a.postcode, a.district_code,
    a.lat + (random() - 0.5) * 0.018, a.lon + (random() - 0.5) * 0.03,
    a.schedule, NULL, NULL, a.assured_at, a.published_at, 1, a.created_at, a.updated_at,
    a.start_minute, a.is_full, a.next_occurrence_at, a.occurrences_until, a.filter_codes
FROM clone_map m JOIN activities a ON a.id = m.source_id;

INSERT INTO activity_terms (activity_id, vocabulary, code)
SELECT m.id, t.vocabulary, t.code FROM clone_map m JOIN activity_terms t ON t.activity_id = m.source_id;
INSERT INTO activity_languages (activity_id, language)
SELECT m.id, l.language FROM clone_map m JOIN activity_languages l ON l.activity_id = m.source_id;
INSERT INTO activity_housing_areas (activity_id, housing_area_code)
SELECT m.id, h.housing_area_code FROM clone_map m JOIN activity_housing_areas h ON h.activity_id = m.source_id;
INSERT INTO activity_occurrences (activity_id, starts_at, weekday)
SELECT m.id, o.starts_at, o.weekday FROM clone_map m JOIN activity_occurrences o ON o.activity_id = m.source_id;
COMMIT;
ANALYZE;
SELECT status, count(*) FROM activities GROUP BY status ORDER BY status;
SELECT count(*) AS occurrences FROM activity_occurrences;
