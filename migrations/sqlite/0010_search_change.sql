-- What changed among the public records, in commit order, for every instance's search
-- index to follow. Written by src/search/store.rs, which the records' stores call in the
-- transaction of the change; kind '*' asks every index to rebuild itself.
CREATE TABLE search_change (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    record_id  BIGINT NOT NULL
);
