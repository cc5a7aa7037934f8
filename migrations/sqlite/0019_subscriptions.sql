-- What reaches people: each member's choice per kind of news (board categories, new
-- sessions, issues they follow, consultations) between mails at once, a daily or weekly
-- digest and nothing; the language of their mails; mails kept as jobs in the database
-- until sent (several instances send each once, a restart loses none); digests claimed
-- once per center and period; and when each piece of news was announced.
ALTER TABLE account ADD COLUMN lang TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en'));

CREATE TABLE subscription (
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    kind        TEXT NOT NULL CHECK (kind IN ('board_notice', 'board_grant', 'board_project', 'board_data',
                                              'board_event', 'event', 'issue', 'consultation')),
    cadence     TEXT NOT NULL CHECK (cadence IN ('immediately', 'daily', 'weekly', 'never')),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, kind)
);

CREATE TABLE mail_job (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    account_id       INTEGER REFERENCES account (id) ON DELETE CASCADE,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    unsubscribe_url  TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    claimed_until    TEXT,
    sent_at          TEXT,
    last_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_job_waiting ON mail_job (id) WHERE sent_at IS NULL;
CREATE INDEX mail_job_sent ON mail_job (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE digest_run (
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    cadence     TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly')),
    period      TEXT NOT NULL,
    mails       BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, cadence, period)
);

-- What was news before this migration counts as announced when it was made. A
-- consultation is news when it opens; those that opened long ago are claimed without a
-- mail (src/consultation/store.rs).
ALTER TABLE board_post ADD COLUMN announced_at TEXT;
UPDATE board_post SET announced_at = created_at WHERE status <> 'pending';
CREATE INDEX board_post_announced ON board_post (tenant_id, announced_at);
ALTER TABLE event ADD COLUMN announced_at TEXT;
UPDATE event SET announced_at = created_at WHERE status <> 'draft';
CREATE INDEX event_announced ON event (tenant_id, announced_at);
ALTER TABLE consultation ADD COLUMN announced_at TEXT;
CREATE INDEX consultation_announced ON consultation (tenant_id, announced_at);
ALTER TABLE notification ADD COLUMN mailed_at TEXT;
UPDATE notification SET mailed_at = created_at;
CREATE INDEX notification_unmailed ON notification (tenant_id) WHERE mailed_at IS NULL;
CREATE INDEX notification_tenant_created ON notification (tenant_id, created_at);
