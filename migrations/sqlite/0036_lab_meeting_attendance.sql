-- Who came to a lab's meeting (issue 21): the lab's members who attended, each with the
-- sector they were counted in that day, and the others by sector; whether pro bono
-- partners took part. lab_meeting.attendees stays the whole count: what neither names is
-- of unknown sector (every meeting recorded before this).
ALTER TABLE lab_meeting ADD COLUMN with_probono INTEGER NOT NULL DEFAULT 0;
CREATE TABLE lab_meeting_member (
    meeting_id  INTEGER NOT NULL REFERENCES lab_meeting (id) ON DELETE CASCADE,
    account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    sector      TEXT NOT NULL
);
CREATE UNIQUE INDEX lab_meeting_member_once ON lab_meeting_member (meeting_id, account_id);
CREATE TABLE lab_meeting_guest (
    meeting_id  INTEGER NOT NULL REFERENCES lab_meeting (id) ON DELETE CASCADE,
    sector      TEXT NOT NULL,
    count       INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (meeting_id, sector)
);
