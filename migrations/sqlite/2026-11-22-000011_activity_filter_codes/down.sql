-- PostgreSQL keeps the terms and languages as an indexed array for its bitmap plans
-- (filter_codes); SQLite filters through the join tables' indexes. Nothing to do here.
SELECT 1;
