-- 参加費 and 申込締切 of a session: its fee in yen (0: free) and the moment registration
-- closes (the end of the deadline's day, Japan time); NULL: open until the session ends.
ALTER TABLE event ADD COLUMN fee_yen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event ADD COLUMN registration_closes_at TEXT;
