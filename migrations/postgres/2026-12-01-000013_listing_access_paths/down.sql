ALTER TABLE activities DROP COLUMN occurrence_weekdays;
DROP INDEX activities_published_district_name;
CREATE INDEX activities_district ON activities (district_code, status);
DROP INDEX activities_published_grid;
DROP INDEX activities_published_place;
CREATE INDEX activities_geo ON activities (status, lat, lon);
ALTER TABLE activities DROP COLUMN northing, DROP COLUMN easting;
