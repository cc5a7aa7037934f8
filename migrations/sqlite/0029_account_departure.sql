-- A deleted account leaves only when it was made and when it left (issue 20), nothing
-- that names anyone: so a past year's report still counts its members at the year's end.
CREATE TABLE account_departure (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenant (id),
    created_at   TEXT NOT NULL,
    departed_at  TEXT NOT NULL
);
CREATE INDEX account_departure_tenant ON account_departure (tenant_id, created_at);
