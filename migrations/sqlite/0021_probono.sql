-- Pro bono (プロボノ): needs (what an NPO, a lab or a person asks for) and offers (what a
-- person or an organisation gives), each of one kind, with skills from the shared list,
-- tags, a place and a time window; and introductions (つなぐ), in which a coordinator
-- puts two people in touch for a purpose: each answers, contact details are shared only
-- once both have accepted, and the outcome is recorded for the annual report.
CREATE TABLE need (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    account_id       INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    organisation_id  INTEGER REFERENCES organisation (id) ON DELETE SET NULL,
    lab_id           INTEGER REFERENCES lab (id) ON DELETE SET NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('skill', 'time', 'place', 'money', 'equipment')),
    skills           TEXT NOT NULL DEFAULT '',
    tags             TEXT NOT NULL DEFAULT '',
    place            TEXT NOT NULL DEFAULT '',
    online           BOOLEAN NOT NULL DEFAULT FALSE,
    starts_on        TEXT,
    ends_on          TEXT,
    visibility       TEXT NOT NULL CHECK (visibility IN ('public', 'members', 'coordinators')),
    status           TEXT NOT NULL CHECK (status IN ('open', 'met', 'closed')),
    met_at           TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX need_open ON need (tenant_id, status, kind);
CREATE INDEX need_account ON need (account_id);

CREATE TABLE offer (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    account_id       INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    organisation_id  INTEGER REFERENCES organisation (id) ON DELETE SET NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('skill', 'time', 'place', 'money', 'equipment')),
    skills           TEXT NOT NULL DEFAULT '',
    tags             TEXT NOT NULL DEFAULT '',
    place            TEXT NOT NULL DEFAULT '',
    online           BOOLEAN NOT NULL DEFAULT FALSE,
    starts_on        TEXT,
    ends_on          TEXT,
    visibility       TEXT NOT NULL CHECK (visibility IN ('public', 'members', 'coordinators')),
    status           TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX offer_open ON offer (tenant_id, status, kind);
CREATE INDEX offer_account ON offer (account_id);

-- A party who leaves the platform leaves the introduction without a name; the
-- introduction and its outcome stay counted.
CREATE TABLE introduction (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    coordinator_id   INTEGER REFERENCES account (id) ON DELETE SET NULL,
    need_id          INTEGER REFERENCES need (id) ON DELETE SET NULL,
    offer_id         INTEGER REFERENCES offer (id) ON DELETE SET NULL,
    purpose          TEXT NOT NULL,
    a_account_id     INTEGER REFERENCES account (id) ON DELETE SET NULL,
    a_organisation_id INTEGER REFERENCES organisation (id) ON DELETE SET NULL,
    a_answer         TEXT CHECK (a_answer IN ('accepted', 'declined')),
    b_account_id     INTEGER REFERENCES account (id) ON DELETE SET NULL,
    b_organisation_id INTEGER REFERENCES organisation (id) ON DELETE SET NULL,
    b_answer         TEXT CHECK (b_answer IN ('accepted', 'declined')),
    outcome          TEXT CHECK (outcome IN ('met', 'project_started', 'no_fit')),
    outcome_at       TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX introduction_tenant ON introduction (tenant_id, created_at);
CREATE INDEX introduction_a ON introduction (a_account_id);
CREATE INDEX introduction_b ON introduction (b_account_id);
