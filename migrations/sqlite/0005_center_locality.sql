-- Where a center is, as the open-data event list (自治体標準オープンデータセット「イベント一覧」)
-- names it: the municipality's code (全国地方公共団体コード, six digits with the check
-- digit) and name, and the contact phone the center publishes. Empty until set.
ALTER TABLE tenant ADD COLUMN municipality_code TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant ADD COLUMN municipality TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant ADD COLUMN phone TEXT NOT NULL DEFAULT '';
