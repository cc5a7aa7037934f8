-- Company hearings (企業ヒアリング): what a company does for society and its answers under
-- the report's four headings, with tags for the barriers and issues it names and the kinds
-- of body it wants to work with. Read and written by the secretariat and coordinators only.
CREATE TABLE hearing (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    company            TEXT NOT NULL,
    industry           TEXT NOT NULL DEFAULT '',
    size               TEXT NOT NULL CHECK (size IN ('unknown', 'micro', 'small', 'medium', 'large')),
    held_on            TEXT NOT NULL,
    held_until         TEXT,
    method             TEXT NOT NULL CHECK (method IN ('visit', 'mail', 'event', 'online')),
    occasion           TEXT NOT NULL DEFAULT '',
    activities         TEXT NOT NULL DEFAULT '',
    community_view     TEXT NOT NULL DEFAULT '',
    issues_watched     TEXT NOT NULL DEFAULT '',
    probono_barriers   TEXT NOT NULL DEFAULT '',
    partners_wanted    TEXT NOT NULL DEFAULT '',
    partner_kinds      TEXT NOT NULL DEFAULT '',
    barrier_tags       TEXT NOT NULL DEFAULT '',
    issue_tags         TEXT NOT NULL DEFAULT '',
    follow_up          TEXT NOT NULL DEFAULT '',
    recorded_by        INTEGER REFERENCES account (id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX hearing_tenant ON hearing (tenant_id, held_on);
