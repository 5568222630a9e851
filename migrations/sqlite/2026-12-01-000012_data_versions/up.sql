-- A version number per area of public data, moved on in the same transaction as every change to
-- the area's tables, so each server instance can tell by reading one small table that its caches
-- (public responses, the taxonomy's codes) are stale. Read every second by each instance.
-- SQLite has one writer at a time, so the triggers simply move the version for every row.
-- (Stored occurrences are left out: they change with their activity's row, or by the sweep
-- extending the horizon, whose effect on cached lists is bounded by their max-age.)
CREATE TABLE data_versions (
    name TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO data_versions (name) VALUES ('directory');

CREATE TRIGGER activities_insert_moves_directory_version AFTER INSERT ON activities BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activities_update_moves_directory_version AFTER UPDATE ON activities BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activities_delete_moves_directory_version AFTER DELETE ON activities BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_terms_insert_moves_directory_version AFTER INSERT ON activity_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_terms_update_moves_directory_version AFTER UPDATE ON activity_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_terms_delete_moves_directory_version AFTER DELETE ON activity_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_languages_insert_moves_directory_version AFTER INSERT ON activity_languages BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_languages_update_moves_directory_version AFTER UPDATE ON activity_languages BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_languages_delete_moves_directory_version AFTER DELETE ON activity_languages BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_housing_areas_insert_moves_directory_version AFTER INSERT ON activity_housing_areas BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_housing_areas_update_moves_directory_version AFTER UPDATE ON activity_housing_areas BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER activity_housing_areas_delete_moves_directory_version AFTER DELETE ON activity_housing_areas BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER organisations_insert_moves_directory_version AFTER INSERT ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER organisations_update_moves_directory_version AFTER UPDATE ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER organisations_delete_moves_directory_version AFTER DELETE ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER vocabulary_terms_insert_moves_directory_version AFTER INSERT ON vocabulary_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER vocabulary_terms_update_moves_directory_version AFTER UPDATE ON vocabulary_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER vocabulary_terms_delete_moves_directory_version AFTER DELETE ON vocabulary_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER districts_insert_moves_directory_version AFTER INSERT ON districts BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER districts_update_moves_directory_version AFTER UPDATE ON districts BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER districts_delete_moves_directory_version AFTER DELETE ON districts BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER housing_areas_insert_moves_directory_version AFTER INSERT ON housing_areas BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER housing_areas_update_moves_directory_version AFTER UPDATE ON housing_areas BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
CREATE TRIGGER housing_areas_delete_moves_directory_version AFTER DELETE ON housing_areas BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
