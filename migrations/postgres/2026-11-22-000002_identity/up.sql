CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id PHC string; NULL once the account is erased.
    password_hash TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A role held by a user. Scoped roles name what they apply to in scope_id (a care unit, council
-- or organisation id); global roles keep scope_id ''. One row per grant.
CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'coordinator', 'reviewer', 'secretary', 'organisation', 'volunteer')),
    scope_id TEXT NOT NULL DEFAULT '',
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role, scope_id)
);
