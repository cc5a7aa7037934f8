-- Files attached to board posts (through the file store, checked and cleaned like every
-- upload). An attachment is not public: it is served at its post's address to those who
-- may read the post, never at /files/ID/NAME.
ALTER TABLE file ADD COLUMN public BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE board_attachment (
    post_id     BIGINT NOT NULL REFERENCES board_post (id) ON DELETE CASCADE,
    file_id     BIGINT NOT NULL REFERENCES file (id) ON DELETE CASCADE,
    tenant_id   BIGINT NOT NULL REFERENCES tenant (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, file_id)
);
CREATE INDEX board_attachment_file ON board_attachment (file_id);
