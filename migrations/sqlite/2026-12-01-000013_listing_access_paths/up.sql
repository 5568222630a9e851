-- Access paths for what the public listing filters and sorts by, chosen from EXPLAIN QUERY PLAN
-- and timings on 100,000 published activities (docs/benchmarks.md).

-- Places on the national grid (ETRS89 / UTM 32N, metres): written by the server from lat/lon
-- with every change, and filled at start-up for rows that have none yet (as all have here).
ALTER TABLE activities ADD COLUMN easting REAL;
ALTER TABLE activities ADD COLUMN northing REAL;
-- SQLite's R*Tree module finds the points in the radius's box (replaces (status, lat, lon),
-- whose scan read the whole band of latitude). Keyed by the activity's rowid, as the FTS index
-- is, and kept in step by triggers.
DROP INDEX activities_geo;
CREATE VIRTUAL TABLE activity_places USING rtree(id, min_easting, max_easting, min_northing, max_northing);
CREATE TRIGGER activity_places_insert AFTER INSERT ON activities WHEN new.easting IS NOT NULL BEGIN
    INSERT INTO activity_places VALUES (new.rowid, new.easting, new.easting, new.northing, new.northing);
END;
CREATE TRIGGER activity_places_update AFTER UPDATE OF easting, northing ON activities BEGIN
    DELETE FROM activity_places WHERE id = old.rowid;
    INSERT INTO activity_places SELECT new.rowid, new.easting, new.easting, new.northing, new.northing
        WHERE new.easting IS NOT NULL;
END;
CREATE TRIGGER activity_places_delete AFTER DELETE ON activities BEGIN
    DELETE FROM activity_places WHERE id = old.rowid;
END;

-- A district's published activities in name order, so a district page reads its own rows
-- (replaces (district_code, status)).
DROP INDEX activities_district;
CREATE INDEX activities_published_district_name ON activities (district_code, name, id)
    WHERE status = 'published';

-- The weekdays an activity's stored occurrences fall on (bit 0 Monday ... bit 6 Sunday): a
-- weekday filter then probes the occurrences only of activities that can match.
ALTER TABLE activities ADD COLUMN occurrence_weekdays INTEGER NOT NULL DEFAULT 0;
UPDATE activities SET occurrence_weekdays = (
    SELECT coalesce(sum(DISTINCT 1 << (o.weekday - 1)), 0) FROM activity_occurrences o WHERE o.activity_id = activities.id
);
