-- What changed among the public records, in commit order, for every instance's search
-- index to follow. Written by src/search/store.rs, which the records' stores call in the
-- transaction of the change; kind '*' asks every index to rebuild itself.
CREATE TABLE search_change (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    record_id  BIGINT NOT NULL
);
