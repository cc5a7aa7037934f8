-- Foundation: tenants (centers), accounts, one-time tokens, login sessions,
-- shared rate-limit counters and deployment settings.

CREATE TABLE tenant (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE tenant_host (
    host       TEXT PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenant (id) ON DELETE CASCADE
);

CREATE TABLE account (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    email              TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    sector             TEXT NOT NULL CHECK (sector IN ('citizen', 'company', 'university', 'npo', 'government', 'councilor')),
    affiliation        TEXT NOT NULL DEFAULT '',
    role               TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'coordinator', 'member')),
    auth_version       BIGINT NOT NULL DEFAULT 0,
    email_verified_at  TEXT,
    created_at         TEXT NOT NULL,
    UNIQUE (tenant_id, email)
);

CREATE TABLE account_token (
    token_hash  TEXT PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    expires_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX account_token_account ON account_token (account_id);

CREATE TABLE login_session (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX login_session_expires ON login_session (expires_at);

CREATE TABLE rate_limit (
    key           TEXT PRIMARY KEY,
    window_start  BIGINT NOT NULL,
    hits          BIGINT NOT NULL
);

CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
