-- Free-text search on SQLite: an FTS5 index over name, summary and description with the trigram
-- tokenizer, so any substring of three or more characters matches ("sang" finds "fællessang"
-- and "sangkor"), case-insensitively. Kept in sync with `activities` by triggers.
CREATE VIRTUAL TABLE activities_fts USING fts5(
    name, summary, description,
    content = 'activities', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO activities_fts (rowid, name, summary, description) SELECT rowid, name, summary, description FROM activities;

CREATE TRIGGER activities_fts_insert AFTER INSERT ON activities BEGIN
    INSERT INTO activities_fts (rowid, name, summary, description) VALUES (new.rowid, new.name, new.summary, new.description);
END;
CREATE TRIGGER activities_fts_delete AFTER DELETE ON activities BEGIN
    INSERT INTO activities_fts (activities_fts, rowid, name, summary, description) VALUES ('delete', old.rowid, old.name, old.summary, old.description);
END;
CREATE TRIGGER activities_fts_update AFTER UPDATE OF name, summary, description ON activities BEGIN
    INSERT INTO activities_fts (activities_fts, rowid, name, summary, description) VALUES ('delete', old.rowid, old.name, old.summary, old.description);
    INSERT INTO activities_fts (rowid, name, summary, description) VALUES (new.rowid, new.name, new.summary, new.description);
END;
