-- 0015: the histories carried in by an import (docs/history.md, "Carrying the history to another
-- database"). `import` of a file written by `export --with-history` keeps the changes it carries,
-- with their numbers, into a database that has no history of its own, then records its own change
-- after them. Their records name row ids of the database they were recorded in, not this one's:
-- one row here per import that carried a history, the import's change and the range of the changes
-- it brought, so that `undo` refuses them and `history REF` leaves them out.
CREATE TABLE history_imports (
    change INTEGER PRIMARY KEY REFERENCES history(id),
    first_change INTEGER NOT NULL REFERENCES history(id),
    last_change INTEGER NOT NULL REFERENCES history(id),
    CHECK (first_change <= last_change AND last_change < change)
);
