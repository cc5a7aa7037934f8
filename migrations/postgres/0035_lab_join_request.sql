-- A member's request to join a lab (issue 21), with a word to the lead, until the lead
-- accepts it (the member joins) or declines it (the request goes).
CREATE TABLE lab_join_request (
    lab_id      BIGINT NOT NULL REFERENCES lab (id) ON DELETE CASCADE,
    account_id  BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (lab_id, account_id)
);
