CREATE INDEX activities_text_danish ON activities USING GIN (
    to_tsvector('danish', name || ' ' || summary || ' ' || description)
);
DROP INDEX activities_search_document;
ALTER TABLE activities DROP COLUMN search_document;
