DROP INDEX activities_filter_codes;
ALTER TABLE activities DROP COLUMN filter_codes;
