-- The consultation workbench (issue 19): comments received on paper, by post, by mail,
-- by fax or at the venue, with an address to tell of the result; folds undone; groups the
-- lab keeps; comments outside the consultation's scope; what each result row changed.
ALTER TABLE consultation_comment ADD COLUMN channel TEXT NOT NULL DEFAULT 'web'
    CHECK (channel IN ('web', 'paper', 'post', 'mail', 'fax', 'venue'));
ALTER TABLE consultation_comment ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE consultation_comment ADD COLUMN kept_apart BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE consultation_comment ADD COLUMN out_of_scope BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE consultation_group (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenant (id),
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    paragraph        BIGINT NOT NULL,
    label            TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX consultation_group_consultation ON consultation_group (consultation_id, paragraph);
ALTER TABLE consultation_comment ADD COLUMN group_id BIGINT REFERENCES consultation_group (id) ON DELETE SET NULL;

ALTER TABLE consultation_response ADD COLUMN changed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE consultation_response ADD COLUMN change_reason TEXT NOT NULL DEFAULT '';
