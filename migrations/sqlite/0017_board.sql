-- The community board (the network's posts, in place of the Facebook group): posts by
-- members in categories, for everyone or for members only, pinned by the secretariat,
-- moderated like every public post (src/moderation), and readers' reactions.
CREATE TABLE board_post (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    author_account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    category           TEXT NOT NULL CHECK (category IN ('notice', 'grant', 'project', 'data', 'event')),
    audience           TEXT NOT NULL CHECK (audience IN ('public', 'members')),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    body_html          TEXT NOT NULL,
    event_id           INTEGER REFERENCES event (id) ON DELETE SET NULL,
    pinned             BOOLEAN NOT NULL DEFAULT FALSE,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX board_post_tenant ON board_post (tenant_id, status, created_at);

CREATE TABLE board_reaction (
    post_id     INTEGER NOT NULL REFERENCES board_post (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (post_id, account_id)
);
