-- A roadmap version can be withdrawn (issue 21): kept in the history, marked withdrawn with
-- when and why, never the lab's current version again.
ALTER TABLE roadmap_version ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE roadmap_version ADD COLUMN withdrawn_note TEXT NOT NULL DEFAULT '';
