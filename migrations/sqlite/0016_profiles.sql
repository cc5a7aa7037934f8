-- The people directory: what a member tells the network about themselves beyond their
-- account (areas of interest as tags, skills offered, what they look for), and who sees
-- each part of it. No row: the person is not in the directory at all.
CREATE TABLE profile (
    account_id        INTEGER PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    tenant_id         INTEGER NOT NULL REFERENCES tenant (id),
    interests         TEXT NOT NULL DEFAULT '',
    skills            TEXT NOT NULL DEFAULT '',
    seeking           TEXT NOT NULL DEFAULT '',
    name_shown        TEXT NOT NULL DEFAULT 'nobody' CHECK (name_shown IN ('public', 'members', 'coordinators', 'nobody')),
    sector_shown      TEXT NOT NULL DEFAULT 'nobody' CHECK (sector_shown IN ('public', 'members', 'coordinators', 'nobody')),
    interests_shown   TEXT NOT NULL DEFAULT 'nobody' CHECK (interests_shown IN ('public', 'members', 'coordinators', 'nobody')),
    skills_shown      TEXT NOT NULL DEFAULT 'nobody' CHECK (skills_shown IN ('public', 'members', 'coordinators', 'nobody')),
    seeking_shown     TEXT NOT NULL DEFAULT 'nobody' CHECK (seeking_shown IN ('public', 'members', 'coordinators', 'nobody')),
    activity_shown    TEXT NOT NULL DEFAULT 'nobody' CHECK (activity_shown IN ('public', 'members', 'coordinators', 'nobody')),
    updated_at        TEXT NOT NULL
);
CREATE INDEX profile_tenant ON profile (tenant_id);
