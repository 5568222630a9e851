-- For the public listing: published activities by name and by place.
CREATE INDEX activities_published_name ON activities (status, name, id);
CREATE INDEX activities_geo ON activities (status, lat, lon);
CREATE INDEX activities_district ON activities (district_code, status);
