DROP INDEX activities_district;
DROP INDEX activities_geo;
DROP INDEX activities_published_name;
