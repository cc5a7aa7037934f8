-- Where a lab came from and when (issue 21): its founding day, and the session it grew out
-- of (beside the social issue it took up, which it had already). Labs made before this
-- are dated by the day they were opened on the platform, in Japan.
ALTER TABLE lab ADD COLUMN founded_on TEXT NOT NULL DEFAULT '1970-01-01';
ALTER TABLE lab ADD COLUMN event_id INTEGER REFERENCES event (id) ON DELETE SET NULL;
UPDATE lab SET founded_on = date(created_at, '+9 hours');
CREATE INDEX lab_event ON lab (event_id);
