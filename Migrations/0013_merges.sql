-- 0013: what merging duplicates leaves behind.
--   * merged_handles: the handle of a record merged into another, so that a command given the old
--     handle still finds the record it became (`kind` is organization, person or employer; `into_id`
--     the row id of that record in its kind's table).
--   * not_duplicates: pairs the user marked as clearly different records, which `duplicates` no
--     longer proposes (first_id < second_id, row ids in the kind's table).

CREATE TABLE merged_handles (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('organization', 'person', 'employer')),
    handle TEXT NOT NULL CHECK (length(handle) > 0),
    into_id INTEGER NOT NULL,
    merged_at TEXT NOT NULL,
    UNIQUE (kind, handle)
);
CREATE INDEX merged_handles_by_target ON merged_handles(kind, into_id);

CREATE TABLE not_duplicates (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('organization', 'person', 'employer')),
    first_id INTEGER NOT NULL,
    second_id INTEGER NOT NULL,
    marked_at TEXT NOT NULL,
    CHECK (first_id < second_id),
    UNIQUE (kind, first_id, second_id)
);
