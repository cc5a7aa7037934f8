-- フリガナ beside a name, as Japanese forms take it: the reading in katakana, for the
-- check-in list's あいうえお order and its search. Empty when not given.
ALTER TABLE person ADD COLUMN furigana TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN furigana TEXT NOT NULL DEFAULT '';
