-- How far a running import is, for the pages of the instances not running it (issue 20).
-- Written only where another instance can read it while the import's transaction runs
-- (PostgreSQL); an embedded SQLite database has one instance, which keeps it in memory.
ALTER TABLE import_job ADD COLUMN rows_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_job ADD COLUMN rows_done BIGINT NOT NULL DEFAULT 0;
