-- The access log keeps every line for a year at least (issue 20): the purge of lines
-- past their retention period may delete older ones, nothing may delete a younger one,
-- and nothing may change any or empty the table.
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '365 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: a line is kept a year at least';
END;
$$;
