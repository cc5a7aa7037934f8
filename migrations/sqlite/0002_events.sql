-- The sessions program: events, the people who take part, registrations and attendances.

CREATE TABLE event (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    kind             TEXT NOT NULL CHECK (kind IN ('info_exchange', 'study', 'report', 'training', 'secretariat_meeting')),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL,
    venue            TEXT NOT NULL DEFAULT '',
    online_url       TEXT NOT NULL DEFAULT '',
    venue_capacity   BIGINT,
    online_capacity  BIGINT,
    anonymous        BOOLEAN NOT NULL DEFAULT FALSE,
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
    checkin_code     TEXT NOT NULL,
    import_key       TEXT,
    reminded_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX event_tenant_starts ON event (tenant_id, starts_at);
CREATE UNIQUE INDEX event_import_key ON event (tenant_id, import_key);

CREATE TABLE event_cohost (
    event_id  INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (event_id, position)
);

CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenant (id),
    account_id   INTEGER REFERENCES account (id) ON DELETE SET NULL,
    email        TEXT,
    name         TEXT NOT NULL,
    sector       TEXT NOT NULL CHECK (sector IN ('citizen', 'company', 'university', 'npo', 'government', 'councilor')),
    affiliation  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX person_email ON person (tenant_id, email);
CREATE UNIQUE INDEX person_account ON person (tenant_id, account_id);

CREATE TABLE registration (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    event_id    INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES person (id) ON DELETE SET NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('venue', 'online')),
    status      TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
    lang        TEXT NOT NULL DEFAULT 'ja',
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX registration_event ON registration (event_id, status, mode);
CREATE UNIQUE INDEX registration_once ON registration (event_id, person_id) WHERE status <> 'cancelled';

CREATE TABLE attendance (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    event_id         INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    person_id        INTEGER REFERENCES person (id) ON DELETE SET NULL,
    registration_id  INTEGER REFERENCES registration (id) ON DELETE SET NULL,
    sector           TEXT NOT NULL CHECK (sector IN ('citizen', 'company', 'university', 'npo', 'government', 'councilor')),
    mode             TEXT NOT NULL CHECK (mode IN ('venue', 'online')),
    first_time       BOOLEAN,
    source           TEXT NOT NULL CHECK (source IN ('checkin', 'walkin', 'self', 'online', 'import')),
    import_key       TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX attendance_event ON attendance (event_id);
CREATE UNIQUE INDEX attendance_once ON attendance (event_id, person_id);
CREATE UNIQUE INDEX attendance_registration ON attendance (registration_id);
CREATE UNIQUE INDEX attendance_import_key ON attendance (tenant_id, import_key);
