-- Every instance keeps the event pages it has read until one of the tables they read
-- changes (src/db/changes.rs): each statement that changes one notifies the channel
-- socialhub_change, whoever runs it (another instance, the command line, psql). A
-- transaction's notifications arrive after it commits, identical ones once.
CREATE FUNCTION socialhub_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('socialhub_change', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER event_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event
    FOR EACH STATEMENT EXECUTE FUNCTION socialhub_notify_change();
CREATE TRIGGER event_cohost_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_cohost
    FOR EACH STATEMENT EXECUTE FUNCTION socialhub_notify_change();
CREATE TRIGGER registration_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON registration
    FOR EACH STATEMENT EXECUTE FUNCTION socialhub_notify_change();
CREATE TRIGGER social_issue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON social_issue
    FOR EACH STATEMENT EXECUTE FUNCTION socialhub_notify_change();
CREATE TRIGGER lab_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lab
    FOR EACH STATEMENT EXECUTE FUNCTION socialhub_notify_change();
