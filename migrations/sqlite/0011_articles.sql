-- Articles (アーカイブ・ギャラリー): session reports, lab results, hearing summaries,
-- notices and case books the secretariat publishes on the platform, each linked to at
-- most one session, lab and issue (shown on both sides). import_key: where an imported
-- article came from, so that importing again updates it.
CREATE TABLE article (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    body_html          TEXT NOT NULL,
    category           TEXT NOT NULL CHECK (category IN ('session_report', 'lab_result', 'hearing_summary', 'notice', 'casebook')),
    tags               TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    dated_at           TEXT NOT NULL,
    author_account_id  BIGINT REFERENCES account (id) ON DELETE SET NULL,
    event_id           BIGINT REFERENCES event (id) ON DELETE SET NULL,
    lab_id             BIGINT REFERENCES lab (id) ON DELETE SET NULL,
    social_issue_id    BIGINT REFERENCES social_issue (id) ON DELETE SET NULL,
    import_key         TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX article_tenant ON article (tenant_id, status, dated_at);
CREATE UNIQUE INDEX article_import ON article (tenant_id, import_key);
CREATE INDEX article_event ON article (event_id);
CREATE INDEX article_lab ON article (lab_id);
CREATE INDEX article_issue ON article (social_issue_id);
