-- A version number per area of public data, moved on in the same transaction as every change to
-- the area's tables, so each server instance can tell by reading one small table that its caches
-- (public responses, the taxonomy's codes) are stale. Read every second by each instance.
CREATE TABLE data_versions (
    name text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 0,
    -- The transaction that moved the version last: however many rows a transaction changes, it
    -- moves the version once.
    moved_by xid8
);
INSERT INTO data_versions (name) VALUES ('directory');

CREATE FUNCTION move_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1, moved_by = pg_current_xact_id()
    WHERE name = TG_ARGV[0] AND moved_by IS DISTINCT FROM pg_current_xact_id();
    RETURN NULL;
END
$$;

-- Deferred to the commit: the version row is locked for the commit's last instant only, so
-- concurrent writers never wait for it in the middle of their work and cannot deadlock on it.
-- (Stored occurrences are left out: they change with their activity's row, or by the sweep
-- extending the horizon, whose effect on cached lists is bounded by their max-age.)
CREATE CONSTRAINT TRIGGER activities_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON activities
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
CREATE CONSTRAINT TRIGGER activity_terms_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON activity_terms
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
CREATE CONSTRAINT TRIGGER activity_languages_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON activity_languages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
CREATE CONSTRAINT TRIGGER activity_housing_areas_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON activity_housing_areas
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
CREATE CONSTRAINT TRIGGER organisations_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON organisations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
CREATE CONSTRAINT TRIGGER vocabulary_terms_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON vocabulary_terms
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
CREATE CONSTRAINT TRIGGER districts_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON districts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
CREATE CONSTRAINT TRIGGER housing_areas_move_directory_version AFTER INSERT OR UPDATE OR DELETE ON housing_areas
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version('directory');
