-- Files put on the platform (pictures for articles, PDF documents), checked by their
-- bytes and cleaned before they are kept; in the database, so every instance serves them.
CREATE TABLE file (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'gif', 'pdf')),
    bytes       BLOB NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT REFERENCES account (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX file_tenant ON file (tenant_id, created_at);
CREATE INDEX file_sha256 ON file (tenant_id, sha256);
