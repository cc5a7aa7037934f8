-- The access log (issue 20): who viewed or downloaded personal data, and failed or refused
-- logins, when and from where. Appended to only: the database refuses to change or delete
-- a row, whatever asks. No foreign key to the account: deleting an account must not touch
-- the log (it keeps the id, not the person's data).
CREATE TABLE access_log (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenant (id),
    at          TEXT NOT NULL,
    account_id  INTEGER,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_tenant_at ON access_log (tenant_id, at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;
