-- Activities: the listings of the directory. Columns for what search filters on; the schedule
-- as JSON (its rules live in the domain); multi-valued fields in join tables.
CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- The integration's own id for the listing, so a re-sync updates instead of duplicating.
    external_id TEXT CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'published', 'rejected', 'withdrawn')),
    rejection_reason TEXT,
    name TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'online', 'phone', 'home_visit')),
    cost_ore BIGINT NOT NULL CHECK (cost_ore >= 0),
    registration_required BOOLEAN NOT NULL,
    registration_how TEXT,
    capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
    seeks_volunteers BOOLEAN NOT NULL,
    address TEXT,
    postcode TEXT,
    district_code TEXT REFERENCES districts (code),
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    schedule TEXT NOT NULL,
    -- A change by the organisation to a published listing, waiting for staff (JSON).
    pending_content TEXT,
    pending_since TIMESTAMP,
    -- When the organisation last confirmed the listing as current.
    assured_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX activities_external_id ON activities (organisation_id, external_id);
CREATE INDEX activities_organisation ON activities (organisation_id, id);
CREATE INDEX activities_status ON activities (status, id);
CREATE INDEX activities_updated ON activities (updated_at, id);

-- The activity's vocabulary terms (types, target groups, accessibility, first-visit support,
-- volunteer roles).
CREATE TABLE activity_terms (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    vocabulary TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (activity_id, vocabulary, code),
    FOREIGN KEY (vocabulary, code) REFERENCES vocabulary_terms (vocabulary, code)
);
CREATE INDEX activity_terms_term ON activity_terms (vocabulary, code, activity_id);

CREATE TABLE activity_languages (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (length(language) = 2),
    PRIMARY KEY (activity_id, language)
);
CREATE INDEX activity_languages_language ON activity_languages (language, activity_id);

CREATE TABLE activity_housing_areas (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    housing_area_code TEXT NOT NULL REFERENCES housing_areas (code),
    PRIMARY KEY (activity_id, housing_area_code)
);
CREATE INDEX activity_housing_areas_area ON activity_housing_areas (housing_area_code, activity_id);
