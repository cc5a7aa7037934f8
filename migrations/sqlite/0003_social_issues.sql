-- Social issues (地域課題・課題の種): brought by anyone, supported by members, moved
-- through four stages by the secretariat; moderation with an audit log.

CREATE TABLE social_issue (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    title              TEXT NOT NULL,
    description        TEXT NOT NULL,
    description_html   TEXT NOT NULL,
    tags               TEXT NOT NULL DEFAULT '',
    place              TEXT NOT NULL DEFAULT '',
    author_account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    stage              BIGINT NOT NULL DEFAULT 1 CHECK (stage BETWEEN 1 AND 4),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX social_issue_tenant ON social_issue (tenant_id, status, created_at);

CREATE TABLE social_issue_support (
    issue_id    INTEGER NOT NULL REFERENCES social_issue (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (issue_id, account_id)
);

CREATE TABLE social_issue_stage (
    id          INTEGER PRIMARY KEY,
    issue_id    INTEGER NOT NULL REFERENCES social_issue (id) ON DELETE CASCADE,
    stage       BIGINT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    changed_by  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX social_issue_stage_issue ON social_issue_stage (issue_id, changed_at);

CREATE TABLE moderation_log (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    subject     TEXT NOT NULL,
    subject_id  BIGINT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('reported', 'approved', 'hidden', 'restored')),
    reason      TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER REFERENCES account (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX moderation_log_subject ON moderation_log (tenant_id, subject, subject_id);

-- Sessions can take up a social issue; the issue lists them.
ALTER TABLE event ADD COLUMN social_issue_id BIGINT REFERENCES social_issue (id) ON DELETE SET NULL;
CREATE INDEX event_social_issue ON event (social_issue_id);

-- What people add to an issue. Members' comments show at once; visitors' wait for approval.
CREATE TABLE issue_comment (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    issue_id           INTEGER NOT NULL REFERENCES social_issue (id) ON DELETE CASCADE,
    author_account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    body               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL
);
CREATE INDEX issue_comment_issue ON issue_comment (issue_id, status, created_at);
