-- The grant pool: pools with a budget, rounds (deadline or rolling, on a track by amount) with
-- versioned criteria, applications and their submitted revisions, reviews, tranches, reports, and
-- the append-only ledger every money figure derives from. Money is integer øre throughout.

CREATE TABLE grant_pools (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    funder_name TEXT NOT NULL,
    -- The funder's organisation identifier as 360Giving writes it, e.g. 'DK-CVR-64942212'.
    funder_identifier TEXT NOT NULL,
    budget_ore BIGINT NOT NULL CHECK (budget_ore >= 0),
    -- Caches of the ledger's sums, kept in the ledger entry's transaction. The conditional update
    -- of a commitment keeps committed within the budget; the CHECK is the last line.
    committed_ore BIGINT NOT NULL DEFAULT 0,
    disbursed_ore BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed')),
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT grant_pools_committed_within_budget CHECK (committed_ore >= 0 AND committed_ore <= budget_ore),
    CONSTRAINT grant_pools_disbursed_within_committed CHECK (disbursed_ore >= 0 AND disbursed_ore <= committed_ore)
);
CREATE INDEX grant_pools_status ON grant_pools (status, created_at, id);

CREATE TABLE grant_rounds (
    id TEXT PRIMARY KEY NOT NULL,
    pool_id TEXT NOT NULL REFERENCES grant_pools (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('deadline', 'rolling')),
    track TEXT NOT NULL CHECK (track IN ('small', 'large')),
    opens_at TIMESTAMP NOT NULL,
    -- Open-ended only for a rolling round (it runs until the money is spent or it is closed).
    closes_at TIMESTAMP,
    min_amount_ore BIGINT NOT NULL CHECK (min_amount_ore > 0),
    max_amount_ore BIGINT NOT NULL,
    decision_expected_on DATE NOT NULL,
    -- Completed reviews a decision needs (0: staff decide without reviewers, e.g. small grants).
    reviews_required INTEGER NOT NULL DEFAULT 0 CHECK (reviews_required BETWEEN 0 AND 10),
    criteria_version INTEGER NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (max_amount_ore >= min_amount_ore),
    CHECK (kind = 'rolling' OR closes_at IS NOT NULL),
    CHECK (closes_at IS NULL OR closes_at > opens_at)
);
CREATE INDEX grant_rounds_pool ON grant_rounds (pool_id, opens_at, id);
CREATE INDEX grant_rounds_closes ON grant_rounds (closes_at);

-- Every version of a round's criteria and eligibility rules. Append-only: a change after the round
-- opened is a new version with a notice to applicants.
CREATE TABLE grant_round_criteria (
    round_id TEXT NOT NULL REFERENCES grant_rounds (id),
    criteria_version INTEGER NOT NULL CHECK (criteria_version >= 1),
    -- JSON: [{key, title, description, weight, scale_min, scale_max}]
    criteria TEXT NOT NULL,
    -- JSON: [{key, text}]
    eligibility TEXT NOT NULL,
    -- Why the criteria changed after the round opened (NULL for a version made before it opened).
    notice TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, criteria_version)
);

CREATE TABLE grant_applications (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES grant_rounds (id),
    pool_id TEXT NOT NULL REFERENCES grant_pools (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_requested_ore BIGINT NOT NULL CHECK (amount_requested_ore >= 0),
    planned_start DATE,
    planned_end DATE,
    size_band TEXT CHECK (size_band IN ('micro', 'small', 'medium', 'large')),
    target_groups TEXT NOT NULL,
    -- JSON: the track's further answers ({"budget": ..., "method": ...}).
    answers TEXT NOT NULL,
    -- JSON: the keys of the eligibility rules the applicant confirmed.
    declarations TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'information_requested', 'ineligible',
        'in_review', 'waitlisted', 'awarded', 'rejected', 'accepted', 'declined', 'withdrawn', 'closed')),
    -- The last submitted revision (0 before the first submission).
    revision INTEGER NOT NULL DEFAULT 0,
    submitted_at TIMESTAMP,
    waitlisted_at TIMESTAMP,
    -- JSON: what staff asked for, and until when; or why it is ineligible.
    screening TEXT,
    outcome TEXT CHECK (outcome IN ('award', 'partial_award', 'rejection')),
    awarded_ore BIGINT CHECK (awarded_ore > 0),
    -- JSON: the decision's reasons per criterion, its justification and the guidance on reconsideration.
    decision TEXT,
    decided_at TIMESTAMP,
    closed_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((outcome IN ('award', 'partial_award')) = (awarded_ore IS NOT NULL))
);
CREATE INDEX grant_applications_round ON grant_applications (round_id, status, id);
CREATE INDEX grant_applications_organisation ON grant_applications (organisation_id, id);
CREATE INDEX grant_applications_waitlist ON grant_applications (pool_id, waitlisted_at) WHERE status = 'waitlisted';
CREATE INDEX grant_applications_awards ON grant_applications (decided_at, id) WHERE awarded_ore IS NOT NULL;

-- What was submitted, each time: immutable, with the hash the receipt quotes.
CREATE TABLE grant_application_revisions (
    application_id TEXT NOT NULL REFERENCES grant_applications (id),
    revision INTEGER NOT NULL CHECK (revision >= 1),
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    criteria_version INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, revision)
);

-- Files of an application; kept across edits and revisions (removing one only hides it from the draft).
CREATE TABLE grant_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES grant_applications (id),
    kind TEXT NOT NULL CHECK (kind IN ('budget', 'project_plan', 'accounts', 'other')),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content_sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP
);
CREATE INDEX grant_attachments_application ON grant_attachments (application_id, id);

-- The application's timeline as its applicant sees it: each transition, with a plain note.
CREATE TABLE grant_application_events (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES grant_applications (id),
    transition TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX grant_application_events_application ON grant_application_events (application_id, id);

CREATE TABLE grant_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES grant_applications (id),
    reviewer_id TEXT NOT NULL REFERENCES users (id),
    assigned_by TEXT NOT NULL,
    coi_status TEXT NOT NULL CHECK (coi_status IN ('pending', 'none', 'declared')),
    coi_note TEXT,
    coi_declared_at TIMESTAMP,
    -- JSON: [{criterion, score, comment}]
    scores TEXT NOT NULL,
    submitted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (application_id, reviewer_id)
);
CREATE INDEX grant_reviews_reviewer ON grant_reviews (reviewer_id, id);

CREATE TABLE grant_tranches (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES grant_applications (id),
    position INTEGER NOT NULL CHECK (position >= 1),
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    condition TEXT NOT NULL CHECK (condition IN ('on_acceptance', 'after_report')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'paid', 'cancelled')),
    payment_reference TEXT,
    paid_at TIMESTAMP,
    UNIQUE (application_id, position)
);

CREATE TABLE grant_reports (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES grant_applications (id),
    kind TEXT NOT NULL CHECK (kind IN ('declaration', 'accounts')),
    spent_ore BIGINT NOT NULL CHECK (spent_ore >= 0),
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'returned')),
    staff_note TEXT,
    submitted_at TIMESTAMP NOT NULL,
    reviewed_at TIMESTAMP
);
CREATE INDEX grant_reports_application ON grant_reports (application_id, submitted_at);

-- The money's history: commitments, releases, disbursements and reclaims. Append-only.
CREATE TABLE grant_ledger (
    id TEXT PRIMARY KEY NOT NULL,
    pool_id TEXT NOT NULL REFERENCES grant_pools (id),
    application_id TEXT NOT NULL REFERENCES grant_applications (id),
    kind TEXT NOT NULL CHECK (kind IN ('commitment', 'release', 'disbursement', 'reclaim')),
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    actor TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX grant_ledger_pool ON grant_ledger (pool_id, id);
CREATE INDEX grant_ledger_application ON grant_ledger (application_id, id);

CREATE TRIGGER grant_ledger_no_update BEFORE UPDATE ON grant_ledger
BEGIN
    SELECT RAISE(ABORT, 'grant_ledger is append-only');
END;
CREATE TRIGGER grant_ledger_no_delete BEFORE DELETE ON grant_ledger
BEGIN
    SELECT RAISE(ABORT, 'grant_ledger is append-only');
END;
CREATE TRIGGER grant_application_revisions_no_update BEFORE UPDATE ON grant_application_revisions
BEGIN
    SELECT RAISE(ABORT, 'grant_application_revisions is append-only');
END;
CREATE TRIGGER grant_application_revisions_no_delete BEFORE DELETE ON grant_application_revisions
BEGIN
    SELECT RAISE(ABORT, 'grant_application_revisions is append-only');
END;
CREATE TRIGGER grant_round_criteria_no_update BEFORE UPDATE ON grant_round_criteria
BEGIN
    SELECT RAISE(ABORT, 'grant_round_criteria is append-only');
END;
CREATE TRIGGER grant_round_criteria_no_delete BEFORE DELETE ON grant_round_criteria
BEGIN
    SELECT RAISE(ABORT, 'grant_round_criteria is append-only');
END;

INSERT INTO data_versions (name) VALUES ('grants');
CREATE TRIGGER grant_pools_insert_moves_grants_version AFTER INSERT ON grant_pools BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_pools_update_moves_grants_version AFTER UPDATE ON grant_pools BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_pools_delete_moves_grants_version AFTER DELETE ON grant_pools BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_rounds_insert_moves_grants_version AFTER INSERT ON grant_rounds BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_rounds_update_moves_grants_version AFTER UPDATE ON grant_rounds BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_rounds_delete_moves_grants_version AFTER DELETE ON grant_rounds BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_round_criteria_insert_moves_grants_version AFTER INSERT ON grant_round_criteria BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_applications_update_moves_grants_version AFTER UPDATE OF status, awarded_ore ON grant_applications BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
CREATE TRIGGER grant_tranches_update_moves_grants_version AFTER UPDATE ON grant_tranches BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'grants';
END;
