-- Access paths for what the public listing filters and sorts by, chosen from EXPLAIN ANALYZE on
-- 100,000 published activities (docs/benchmarks.md).

-- Places on the national grid (ETRS89 / UTM 32N, metres): written by the server from lat/lon
-- with every change, and filled at start-up for rows that have none yet (as all have here).
ALTER TABLE activities ADD COLUMN easting double precision, ADD COLUMN northing double precision;
-- Nearest first by index: a GiST index returns points in order of distance (ORDER BY
-- point <-> centre), so a page near a place reads that page's rows, not every row in the radius.
CREATE INDEX activities_published_place ON activities USING gist (point(easting, northing))
    WHERE status = 'published';
-- The radius as a box on the grid, with statistics the planner can trust (PostgreSQL has none
-- for GiST point operators: it took a circle for 100 rows where 29,534 were, and chose a plan
-- 8 times slower). Replaces (status, lat, lon), whose scan read the whole band of latitude.
DROP INDEX activities_geo;
CREATE INDEX activities_published_grid ON activities (northing, easting) WHERE status = 'published';

-- A district's published activities in name order, so a district page reads its own rows
-- (replaces (district_code, status); the walk of every published name threw away 22,589 rows to
-- find 21 in one district).
DROP INDEX activities_district;
CREATE INDEX activities_published_district_name ON activities (district_code, name, id)
    WHERE status = 'published';

-- The weekdays an activity's stored occurrences fall on (bit 0 Monday ... bit 6 Sunday): a
-- weekday filter then probes the occurrences only of activities that can match.
ALTER TABLE activities ADD COLUMN occurrence_weekdays integer NOT NULL DEFAULT 0;
UPDATE activities a SET occurrence_weekdays = (
    SELECT coalesce(sum(DISTINCT 1 << (o.weekday - 1)), 0)::integer FROM activity_occurrences o WHERE o.activity_id = a.id
);
