-- Consent to the privacy notice (issue 20): who agreed to which version of the notice,
-- on which form, when. An account's rows go with the account; a guest's stay with the
-- person row (which a deletion empties of everything that names them).
CREATE TABLE privacy_consent (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES tenant (id),
    account_id      INTEGER REFERENCES account (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES person (id) ON DELETE CASCADE,
    notice_version  TEXT NOT NULL,
    form            TEXT NOT NULL,
    given_at        TEXT NOT NULL,
    CHECK (account_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX privacy_consent_account ON privacy_consent (account_id);
CREATE INDEX privacy_consent_person ON privacy_consent (person_id);

-- A person erased on their request (their account deleted, or a guest's deletion): name,
-- フリガナ and e-mail removed, the row kept so that the report still counts them once,
-- with their sector and the body they came from.
ALTER TABLE person ADD COLUMN erased_at TEXT;
