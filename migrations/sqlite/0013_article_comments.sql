-- Comments on articles, moderated like every public post (src/moderation).
CREATE TABLE article_comment (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenant (id),
    article_id         BIGINT NOT NULL REFERENCES article (id) ON DELETE CASCADE,
    author_account_id  BIGINT REFERENCES account (id) ON DELETE SET NULL,
    body               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL
);
CREATE INDEX article_comment_article ON article_comment (tenant_id, article_id, status);
