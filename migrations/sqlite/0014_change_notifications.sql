-- Nothing on SQLite: PostgreSQL's migration 0014 makes the tables the kept event pages
-- read announce their changes to every instance (src/db/changes.rs); a SQLite file is
-- served by one process, which reads the page from the file every time.
SELECT 1;
