-- Labs (レジデンスラボ): members with roles, meetings that count in the report, study
-- sessions as events of the lab; roadmaps kept version by version; consultations
-- (意見募集) on one roadmap version with comments by paragraph and a published result.
-- Followers of a social issue and their notifications.

CREATE TABLE lab (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    title              TEXT NOT NULL,
    description        TEXT NOT NULL,
    description_html   TEXT NOT NULL,
    social_issue_id    BIGINT REFERENCES social_issue (id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX lab_tenant ON lab (tenant_id, created_at);
CREATE INDEX lab_social_issue ON lab (social_issue_id);

CREATE TABLE lab_member (
    lab_id      INTEGER NOT NULL REFERENCES lab (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('lead', 'member', 'advisor', 'probono')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (lab_id, account_id)
);
CREATE INDEX lab_member_account ON lab_member (account_id);

CREATE TABLE lab_meeting (
    id            INTEGER PRIMARY KEY,
    lab_id        INTEGER NOT NULL REFERENCES lab (id) ON DELETE CASCADE,
    held_on       TEXT NOT NULL,
    attendees     BIGINT NOT NULL CHECK (attendees >= 0),
    minutes       TEXT NOT NULL,
    minutes_html  TEXT NOT NULL,
    created_by    INTEGER REFERENCES account (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX lab_meeting_lab ON lab_meeting (lab_id, held_on);

ALTER TABLE event ADD COLUMN lab_id BIGINT REFERENCES lab (id) ON DELETE SET NULL;
CREATE INDEX event_lab ON event (lab_id);

CREATE TABLE roadmap_version (
    id          INTEGER PRIMARY KEY,
    lab_id      INTEGER NOT NULL REFERENCES lab (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (lab_id, version)
);

CREATE TABLE consultation (
    id                   INTEGER PRIMARY KEY,
    tenant_id            INTEGER NOT NULL REFERENCES tenant (id),
    lab_id               INTEGER NOT NULL REFERENCES lab (id) ON DELETE CASCADE,
    roadmap_version_id   INTEGER NOT NULL REFERENCES roadmap_version (id) ON DELETE CASCADE,
    opens_at             TEXT NOT NULL,
    closes_at            TEXT NOT NULL,
    result_version_id    BIGINT REFERENCES roadmap_version (id) ON DELETE SET NULL,
    result_published_at  TEXT,
    created_at           TEXT NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX consultation_tenant ON consultation (tenant_id, closes_at);
CREATE INDEX consultation_lab ON consultation (lab_id);

-- The lab's answer to a group of comments: 意見の概要 and 考え方.
CREATE TABLE consultation_response (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    paragraph        BIGINT NOT NULL,
    summary          TEXT NOT NULL,
    response         TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX consultation_response_consultation ON consultation_response (consultation_id, paragraph);

CREATE TABLE consultation_comment (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    consultation_id    INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    paragraph          BIGINT NOT NULL,
    author_account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    body               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    response_id        BIGINT REFERENCES consultation_response (id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX consultation_comment_consultation ON consultation_comment (consultation_id, status, paragraph);

CREATE TABLE social_issue_follow (
    issue_id    INTEGER NOT NULL REFERENCES social_issue (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (issue_id, account_id)
);
CREATE INDEX social_issue_follow_account ON social_issue_follow (account_id);

-- What a member is told about what they follow; kept until they delete their account.
CREATE TABLE notification (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notification_account ON notification (account_id, created_at);
