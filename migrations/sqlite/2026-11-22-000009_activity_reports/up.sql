-- Errors anyone reported on a public listing ("the café moved", "it is on Wednesdays now"), for
-- staff and the organisation to correct. The reporter's e-mail is optional and shown to staff only.
CREATE TABLE activity_reports (
    id TEXT PRIMARY KEY NOT NULL,
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    message TEXT NOT NULL,
    reporter_email TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    resolution_note TEXT,
    resolved_by TEXT,
    resolved_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activity_reports_activity ON activity_reports (activity_id, id);
CREATE INDEX activity_reports_status ON activity_reports (status, id);
