-- Where people took part in a session imported from a roster (its 参加方法 column):
-- 'venue', 'online' or 'venue,online'. Empty for sessions created on the platform, whose
-- venue and online address say it.
ALTER TABLE event ADD COLUMN held_modes TEXT NOT NULL DEFAULT '';

-- Sessions imported before this column existed: what their attendances say.
UPDATE event SET held_modes = (
    SELECT CASE
        WHEN SUM(CASE WHEN a.mode = 'venue' THEN 1 ELSE 0 END) > 0
         AND SUM(CASE WHEN a.mode = 'online' THEN 1 ELSE 0 END) > 0 THEN 'venue,online'
        WHEN SUM(CASE WHEN a.mode = 'online' THEN 1 ELSE 0 END) > 0 THEN 'online'
        WHEN COUNT(*) > 0 THEN 'venue'
        ELSE '' END
    FROM attendance a WHERE a.event_id = event.id)
WHERE import_key IS NOT NULL;
