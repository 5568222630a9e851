-- PostgreSQL stores the Danish text vector of each activity (search_document); SQLite's
-- trigram index (activities_fts) already holds its own copy of the text. Nothing to do here.
SELECT 1;
