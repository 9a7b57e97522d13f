-- 0002: employers in corporate trees, their sites, and the unions that represent each site's workers.

CREATE TABLE employers (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE
        CHECK (handle GLOB '[a-z0-9]*' AND handle NOT GLOB '*[^a-z0-9-]*' AND length(handle) <= 64),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key TEXT NOT NULL,
    country TEXT CHECK (country IS NULL OR country GLOB '[A-Z][A-Z]'),
    parent_id INTEGER REFERENCES employers(id) ON DELETE RESTRICT,
    website TEXT,
    notes TEXT,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX employers_by_name_key ON employers(name_key);
CREATE INDEX employers_by_parent ON employers(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE employer_aliases (
    employer_id INTEGER NOT NULL REFERENCES employers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    alias TEXT NOT NULL CHECK (length(trim(alias)) > 0),
    alias_key TEXT NOT NULL,
    PRIMARY KEY (employer_id, position),
    UNIQUE (employer_id, alias)
);
CREATE INDEX employer_aliases_by_key ON employer_aliases(alias_key);

CREATE TABLE employer_sources (
    employer_id INTEGER NOT NULL REFERENCES employers(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (employer_id, source_id)
) WITHOUT ROWID;
CREATE INDEX employer_sources_by_source ON employer_sources(source_id);

-- A workplace of an employer. `uid` is the short random id users and the interchange format see.
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (uid GLOB '[a-z0-9]*' AND uid NOT GLOB '*[^a-z0-9-]*' AND length(uid) <= 64),
    employer_id INTEGER NOT NULL REFERENCES employers(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key TEXT NOT NULL,
    country TEXT NOT NULL CHECK (country GLOB '[A-Z][A-Z]'),
    region TEXT CHECK (region IS NULL OR (region GLOB '[A-Z][A-Z]-[A-Z0-9]*' AND substr(region, 1, 2) = country)),
    city TEXT,
    sector TEXT,
    notes TEXT
);
-- One employer's sites, by country: the listing `site list --employer` and `allies` read.
CREATE INDEX sites_by_employer ON sites(employer_id, country, name_key);
CREATE INDEX sites_by_country ON sites(country);
CREATE INDEX sites_by_name_key ON sites(name_key);

-- Which union represents a site's workers, over time.
CREATE TABLE representations (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    since TEXT,
    until TEXT,
    UNIQUE (site_id, organization_id, since)
);
CREATE INDEX representations_by_organization ON representations(organization_id, site_id);

CREATE TABLE site_sources (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (site_id, source_id)
) WITHOUT ROWID;
CREATE INDEX site_sources_by_source ON site_sources(source_id);

-- Full-text search over employers and sites, kept in step by triggers.
CREATE VIRTUAL TABLE employer_search USING fts5(
    name, aliases, notes,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER employer_search_insert AFTER INSERT ON employers BEGIN
    INSERT INTO employer_search(rowid, name, aliases, notes) VALUES (new.id, new.name, '', new.notes);
END;
CREATE TRIGGER employer_search_update AFTER UPDATE ON employers BEGIN
    UPDATE employer_search SET name = new.name, notes = new.notes WHERE rowid = new.id;
END;
CREATE TRIGGER employer_search_delete AFTER DELETE ON employers BEGIN
    DELETE FROM employer_search WHERE rowid = old.id;
END;
CREATE TRIGGER employer_search_alias_insert AFTER INSERT ON employer_aliases BEGIN
    UPDATE employer_search
    SET aliases = (SELECT group_concat(alias, ' ') FROM employer_aliases WHERE employer_id = new.employer_id)
    WHERE rowid = new.employer_id;
END;
CREATE TRIGGER employer_search_alias_delete AFTER DELETE ON employer_aliases BEGIN
    UPDATE employer_search
    SET aliases = coalesce((SELECT group_concat(alias, ' ') FROM employer_aliases WHERE employer_id = old.employer_id), '')
    WHERE rowid = old.employer_id;
END;

CREATE VIRTUAL TABLE site_search USING fts5(
    name, city, sector, notes,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER site_search_insert AFTER INSERT ON sites BEGIN
    INSERT INTO site_search(rowid, name, city, sector, notes) VALUES (new.id, new.name, new.city, new.sector, new.notes);
END;
CREATE TRIGGER site_search_update AFTER UPDATE ON sites BEGIN
    UPDATE site_search SET name = new.name, city = new.city, sector = new.sector, notes = new.notes WHERE rowid = new.id;
END;
CREATE TRIGGER site_search_delete AFTER DELETE ON sites BEGIN
    DELETE FROM site_search WHERE rowid = old.id;
END;
