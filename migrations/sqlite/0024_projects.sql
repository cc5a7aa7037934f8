-- Projects (プロジェクト): a team working on an issue, born in a session or a lab, with its
-- members (a lead or more), a status, its updates (posts on the board) and its needs.
CREATE TABLE project (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('forming', 'active', 'paused', 'done')),
    social_issue_id  INTEGER REFERENCES social_issue (id) ON DELETE SET NULL,
    event_id         INTEGER REFERENCES event (id) ON DELETE SET NULL,
    lab_id           INTEGER REFERENCES lab (id) ON DELETE SET NULL,
    started_on       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX project_tenant ON project (tenant_id, created_at);
CREATE INDEX project_event ON project (event_id);
CREATE INDEX project_lab ON project (lab_id);
CREATE INDEX project_issue ON project (social_issue_id);

CREATE TABLE project_member (
    project_id   INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    tenant_id    INTEGER NOT NULL REFERENCES tenant (id),
    lead         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (project_id, account_id)
);
CREATE INDEX project_member_account ON project_member (account_id);

CREATE TABLE project_update (
    project_id   INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    post_id      INTEGER NOT NULL REFERENCES board_post (id) ON DELETE CASCADE,
    tenant_id    INTEGER NOT NULL REFERENCES tenant (id),
    PRIMARY KEY (project_id, post_id)
);

ALTER TABLE need ADD COLUMN project_id INTEGER REFERENCES project (id) ON DELETE SET NULL;
