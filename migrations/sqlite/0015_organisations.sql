-- Organisations (団体): NPOs, companies, universities, city offices, neighbourhood
-- associations, assemblies; and the people who belong to them. A person links
-- themselves and the organisation's admins confirm; each person chooses who sees that
-- they belong (public, members, coordinators, nobody).
CREATE TABLE organisation (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('npo', 'company', 'university', 'government', 'neighbourhood', 'council', 'other')),
    place       TEXT NOT NULL DEFAULT '',
    activities  TEXT NOT NULL DEFAULT '',
    seeking     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE organisation_member (
    organisation_id  INTEGER NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    account_id       INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    admin            BOOLEAN NOT NULL DEFAULT FALSE,
    confirmed_at     TEXT,
    visibility       TEXT NOT NULL DEFAULT 'nobody' CHECK (visibility IN ('public', 'members', 'coordinators', 'nobody')),
    created_at       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, account_id)
);
CREATE INDEX organisation_member_account ON organisation_member (account_id);
