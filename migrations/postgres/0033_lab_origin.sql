-- Where a lab came from and when (issue 21): its founding day, and the session it grew out
-- of (beside the social issue it took up, which it had already). Labs made before this
-- are dated by the day they were opened on the platform, in Japan.
ALTER TABLE lab ADD COLUMN founded_on DATE NOT NULL DEFAULT DATE '1970-01-01';
ALTER TABLE lab ADD COLUMN event_id BIGINT REFERENCES event (id) ON DELETE SET NULL;
UPDATE lab SET founded_on = (created_at AT TIME ZONE 'Asia/Tokyo')::date;
ALTER TABLE lab ALTER COLUMN founded_on DROP DEFAULT;
CREATE INDEX lab_event ON lab (event_id);
