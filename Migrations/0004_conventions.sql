-- 0004: conventions, their resolutions, the resolved clauses, and what each clause names.

CREATE TABLE conventions (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE
        CHECK (handle GLOB '[a-z0-9]*' AND handle NOT GLOB '*[^a-z0-9-]*' AND length(handle) <= 64),
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    number INTEGER CHECK (number IS NULL OR number > 0),
    start TEXT,
    "end" TEXT,
    first_day TEXT,
    last_day TEXT,
    city TEXT,
    country TEXT CHECK (country IS NULL OR country GLOB '[A-Z][A-Z]'),
    notes TEXT,
    CHECK ((start IS NULL) = (first_day IS NULL) AND (first_day IS NULL) = (last_day IS NULL)),
    CHECK ("end" IS NULL OR start IS NOT NULL)
);
-- An organization's conventions in date order: the previous one bounds an appendix's period.
CREATE INDEX conventions_by_organization ON conventions(organization_id, first_day);

CREATE TABLE resolutions (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE
        CHECK (handle GLOB '[a-z0-9]*' AND handle NOT GLOB '*[^a-z0-9-]*' AND length(handle) <= 96),
    convention_id INTEGER NOT NULL REFERENCES conventions(id) ON DELETE RESTRICT,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    preamble TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'adopted', 'amended', 'rejected')),
    notes TEXT
);
CREATE INDEX resolutions_by_convention ON resolutions(convention_id);

CREATE TABLE resolution_clauses (
    resolution_id INTEGER NOT NULL REFERENCES resolutions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    PRIMARY KEY (resolution_id, position)
) WITHOUT ROWID;

-- An organization a clause names, found by the matcher or linked by hand; `offset` orders
-- mentions within a clause.
CREATE TABLE resolution_organizations (
    resolution_id INTEGER NOT NULL REFERENCES resolutions(id) ON DELETE CASCADE,
    clause INTEGER NOT NULL CHECK (clause >= 1),
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    "offset" INTEGER NOT NULL DEFAULT 0,
    linked INTEGER NOT NULL DEFAULT 0 CHECK (linked IN (0, 1)),
    PRIMARY KEY (resolution_id, clause, organization_id)
) WITHOUT ROWID;
CREATE INDEX resolution_organizations_by_organization ON resolution_organizations(organization_id);

CREATE TABLE resolution_employers (
    resolution_id INTEGER NOT NULL REFERENCES resolutions(id) ON DELETE CASCADE,
    employer_id INTEGER NOT NULL REFERENCES employers(id) ON DELETE CASCADE,
    PRIMARY KEY (resolution_id, employer_id)
) WITHOUT ROWID;

CREATE TABLE resolution_sources (
    resolution_id INTEGER NOT NULL REFERENCES resolutions(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (resolution_id, source_id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE resolution_search USING fts5(
    title, preamble, clauses,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER resolution_search_insert AFTER INSERT ON resolutions BEGIN
    INSERT INTO resolution_search(rowid, title, preamble, clauses) VALUES (new.id, new.title, new.preamble, '');
END;
CREATE TRIGGER resolution_search_update AFTER UPDATE ON resolutions BEGIN
    UPDATE resolution_search SET title = new.title, preamble = new.preamble WHERE rowid = new.id;
END;
CREATE TRIGGER resolution_search_delete AFTER DELETE ON resolutions BEGIN
    DELETE FROM resolution_search WHERE rowid = old.id;
END;
CREATE TRIGGER resolution_search_clause_insert AFTER INSERT ON resolution_clauses BEGIN
    UPDATE resolution_search
    SET clauses = (SELECT group_concat(text, ' ') FROM resolution_clauses WHERE resolution_id = new.resolution_id)
    WHERE rowid = new.resolution_id;
END;
