-- Coordinator trainings (コーディネーター研修: internal, external, on the job) with who
-- took part, and visits to other centers (視察): several days, the organisations visited,
-- people met, what was learnt and what was shared with the city.
CREATE TABLE training (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenant (id),
    kind          TEXT NOT NULL CHECK (kind IN ('internal', 'external', 'ojt')),
    held_on       TEXT NOT NULL,
    title         TEXT NOT NULL,
    organiser     TEXT NOT NULL DEFAULT '',
    lecturer      TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL DEFAULT '',
    others        INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX training_tenant ON training (tenant_id, held_on);

CREATE TABLE training_participant (
    training_id   INTEGER NOT NULL REFERENCES training (id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    tenant_id     INTEGER NOT NULL REFERENCES tenant (id),
    PRIMARY KEY (training_id, account_id)
);
CREATE INDEX training_participant_account ON training_participant (account_id);

CREATE TABLE visit (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL REFERENCES tenant (id),
    starts_on         TEXT NOT NULL,
    ends_on           TEXT NOT NULL,
    destination       TEXT NOT NULL,
    purpose           TEXT NOT NULL DEFAULT '',
    organisations     TEXT NOT NULL DEFAULT '',
    people_met        TEXT NOT NULL DEFAULT '',
    learnt            TEXT NOT NULL DEFAULT '',
    shared_with_city  TEXT NOT NULL DEFAULT '',
    visitors          INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX visit_tenant ON visit (tenant_id, starts_on);
