-- Scales the demo directory up for benchmarks (PostgreSQL): every published demo activity is
-- cloned :copies times with a fresh id, a numbered name and a location moved up to about 1 km,
-- with its vocabulary terms, languages, housing areas and stored occurrences. Run after
-- `sammen seed --demo`, as a superuser; e.g. psql -v copies=460 -f scripts/lib/bench-scale.sql
-- (≈100,000 published). Then `sammen migrate` computes the grid points (easting, northing) left
-- empty here; then VACUUM ANALYZE. scripts/lib/bench-scale-sqlite.py does the same on SQLite.
--
-- The INSERT column lists come from the catalog, so columns added later are copied from the
-- original row (filter_codes, occurrence_weekdays, ...); only those that must differ are set
-- here. Generated columns (search_document, the Danish text vector) are left out: PostgreSQL
-- computes them for every new row.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE clone_map ON COMMIT DROP AS
SELECT a.id AS source_id, gen_random_uuid()::text AS id, g.n
FROM activities a CROSS JOIN generate_series(1, :copies) AS g(n)
WHERE a.status = 'published';

DO $$
DECLARE
    cloned CONSTANT text[] := ARRAY['activities', 'activity_terms', 'activity_languages',
                                    'activity_housing_areas', 'activity_occurrences'];
    other_triggers text;
    tab text;
    cols text;
    exprs text;
BEGIN
    -- The data-version triggers fire for every row (constraint triggers, queued to the commit):
    -- millions of them for this load. Replica mode skips them and the foreign-key checks (the
    -- clones' references are their originals'); the version is moved once below. Only if those
    -- are the only triggers, though: one that keeps data in step must fire.
    SELECT string_agg(t.tgrelid::regclass || '.' || t.tgname, ', ') INTO other_triggers
    FROM pg_trigger t
    WHERE NOT t.tgisinternal AND t.tgrelid::regclass::text = ANY (cloned)
      AND t.tgname NOT LIKE '%\_move\_directory\_version';
    IF other_triggers IS NULL THEN
        PERFORM set_config('session_replication_role', 'replica', true);
    ELSE
        RAISE NOTICE 'triggers other than the data versions'' (%): cloning with all triggers on', other_triggers;
    END IF;

    SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position),
           string_agg(CASE c.column_name
                WHEN 'id' THEN 'm.id'
                WHEN 'name' THEN $e$a.name || ' ' || m.n$e$
                WHEN 'external_id' THEN 'NULL'
                WHEN 'lat' THEN 'a.lat + (random() - 0.5) * 0.018'
                WHEN 'lon' THEN 'a.lon + (random() - 0.5) * 0.03'
                -- The projection of lat/lon: computed by `sammen migrate` (and the server) where NULL.
                WHEN 'easting' THEN 'NULL'
                WHEN 'northing' THEN 'NULL'
                WHEN 'version' THEN '1'
                WHEN 'rejection_reason' THEN 'NULL'
                WHEN 'pending_content' THEN 'NULL'
                WHEN 'pending_since' THEN 'NULL'
                ELSE 'a.' || quote_ident(c.column_name) END, ', ' ORDER BY c.ordinal_position)
      INTO cols, exprs
    FROM information_schema.columns c
    WHERE c.table_schema = current_schema() AND c.table_name = 'activities' AND c.is_generated = 'NEVER';
    EXECUTE format('INSERT INTO activities (%s) SELECT %s FROM clone_map m JOIN activities a ON a.id = m.source_id',
                   cols, exprs);

    FOREACH tab IN ARRAY cloned[2:] LOOP
        SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position),
               string_agg(CASE c.column_name WHEN 'activity_id' THEN 'm.id' ELSE 't.' || quote_ident(c.column_name) END,
                          ', ' ORDER BY c.ordinal_position)
          INTO cols, exprs
        FROM information_schema.columns c
        WHERE c.table_schema = current_schema() AND c.table_name = tab AND c.is_generated = 'NEVER';
        EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM clone_map m JOIN %I t ON t.activity_id = m.source_id',
                       tab, cols, exprs, tab);
    END LOOP;
END
$$;
-- Once for the whole load (see above): a running server would drop its cached answers.
UPDATE data_versions SET version = version + 1;
COMMIT;
SELECT status, count(*) FROM activities GROUP BY status ORDER BY status;
SELECT count(*) AS occurrences FROM activity_occurrences;
