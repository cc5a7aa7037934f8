-- Members' comments on board posts, moderated like every public post (src/moderation).
CREATE TABLE board_comment (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    post_id            INTEGER NOT NULL REFERENCES board_post (id) ON DELETE CASCADE,
    author_account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    body               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL
);
CREATE INDEX board_comment_post ON board_comment (tenant_id, post_id, status);
