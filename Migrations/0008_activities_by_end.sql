-- 0008: find the activities of a period through the day they end. A period ("--since 2024", an
-- appendix's convention period) is an overlap: first_day <= its end AND last_day >= its start.
-- Searched by first_day, that reads every activity that began before the period's end, which for
-- the recent periods people ask about is nearly all of them (a second or more on a million
-- activities); searched by last_day, only those that end after the period began. The queries
-- write the first_day bound as `+first_day` so that SQLite takes these indexes.

CREATE INDEX activities_by_end ON activities(last_day);
CREATE INDEX activities_by_kind_and_end ON activities(kind, last_day);
