-- The fiscal years in which a deleted account had taken part in several programs (issue
-- 20): its activities can no longer be linked to one another once it is gone, so the
-- report's "members in several programs" counts these instead. Names no one.
CREATE TABLE account_departure_year (
    departure_id  INTEGER NOT NULL REFERENCES account_departure (id) ON DELETE CASCADE,
    fiscal_year   INTEGER NOT NULL,
    PRIMARY KEY (departure_id, fiscal_year)
);
