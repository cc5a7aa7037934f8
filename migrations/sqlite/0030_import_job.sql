-- A roster import run off the request (issue 20): the file waits here until its job takes
-- it, and is emptied once the job has finished (it names people). What the job found (a
-- summary, or every problem by line and column) stays for its page.
CREATE TABLE import_job (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenant (id),
    account_id   INTEGER REFERENCES account (id) ON DELETE SET NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    file_name    TEXT NOT NULL,
    file         BLOB,
    default_kind TEXT NOT NULL,
    lang         TEXT NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    finished_at  TEXT
);
CREATE INDEX import_job_tenant ON import_job (tenant_id, created_at);
