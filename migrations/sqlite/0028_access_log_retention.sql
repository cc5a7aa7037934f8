-- The access log keeps every line for a year at least (issue 20): the purge of lines
-- past their retention period may delete older ones, nothing may delete a younger one,
-- and nothing may change any. (`at` is stored as RFC 3339 text, which sorts by time.)
DROP TRIGGER access_log_no_delete;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN old.at > strftime('%Y-%m-%dT%H:%M:%S', 'now', '-365 days')
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only: a line is kept a year at least');
END;
