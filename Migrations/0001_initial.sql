-- 0001: organizations, people, relationships, sources, campaigns and the home organization.
-- Frozen once released: a later change is a new numbered file.
--
-- Conventions:
--   * Internal integer ids join tables; handles (lowercase ASCII slugs) and short random ids
--     are the identities users and the interchange format see.
--   * *_key columns hold the folded form of a name (no case, no accents, punctuation as spaces),
--     written by SolidarityCore, so that a REF is found through an index.
--   * Partial dates are ISO-8601 text of a year, a year-month or a full date.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE
        CHECK (handle GLOB '[a-z0-9]*' AND handle NOT GLOB '*[^a-z0-9-]*' AND length(handle) <= 64),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key TEXT NOT NULL,
    acronym TEXT CHECK (acronym IS NULL OR length(trim(acronym)) > 0),
    acronym_key TEXT,
    native_name TEXT,
    native_name_key TEXT,
    native_name_lang TEXT
        CHECK (native_name_lang IS NULL OR native_name_lang GLOB '[a-z][a-z]' OR native_name_lang GLOB '[a-z][a-z][a-z]'
               OR native_name_lang GLOB '[a-z][a-z]-*' OR native_name_lang GLOB '[a-z][a-z][a-z]-*'),
    kind TEXT NOT NULL CHECK (kind IN ('union', 'local', 'council', 'division', 'confederation',
                                       'global_union_federation', 'network', 'allied_group')),
    country TEXT CHECK (country IS NULL OR country GLOB '[A-Z][A-Z]'),
    region TEXT CHECK (region IS NULL OR (region GLOB '[A-Z][A-Z]-[A-Z0-9]*' AND length(region) BETWEEN 4 AND 6
                                          AND substr(region, 1, 2) = country)),
    city TEXT,
    parent_id INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
    members INTEGER CHECK (members IS NULL OR members >= 0),
    members_as_of TEXT,
    website TEXT,
    notes TEXT,
    sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (members_as_of IS NULL OR members IS NOT NULL),
    CHECK (native_name IS NULL OR native_name_lang IS NOT NULL)
);
CREATE INDEX organizations_by_name_key ON organizations(name_key);
CREATE INDEX organizations_by_acronym_key ON organizations(acronym_key) WHERE acronym_key IS NOT NULL;
CREATE INDEX organizations_by_native_name_key ON organizations(native_name_key) WHERE native_name_key IS NOT NULL;
CREATE INDEX organizations_by_country ON organizations(country, handle);
CREATE INDEX organizations_by_parent ON organizations(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX organizations_by_kind ON organizations(kind, handle);

CREATE TABLE organization_aliases (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    alias TEXT NOT NULL CHECK (length(trim(alias)) > 0),
    alias_key TEXT NOT NULL,
    lang TEXT CHECK (lang IS NULL OR lang GLOB '[a-z][a-z]' OR lang GLOB '[a-z][a-z][a-z]'
                     OR lang GLOB '[a-z][a-z]-*' OR lang GLOB '[a-z][a-z][a-z]-*'),
    PRIMARY KEY (organization_id, position),
    UNIQUE (organization_id, alias)
);
CREATE INDEX organization_aliases_by_key ON organization_aliases(alias_key);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE
        CHECK (handle GLOB '[a-z0-9]*' AND handle NOT GLOB '*[^a-z0-9-]*' AND length(handle) <= 64),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key TEXT NOT NULL,
    email TEXT CHECK (email IS NULL OR email GLOB '?*@?*'),
    phone TEXT,
    secure_messaging TEXT,
    notes TEXT,
    sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1))
);
CREATE INDEX people_by_name_key ON people(name_key);
CREATE INDEX people_by_email ON people(email) WHERE email IS NOT NULL;

CREATE TABLE person_languages (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    lang TEXT NOT NULL CHECK (lang GLOB '[a-z][a-z]' OR lang GLOB '[a-z][a-z][a-z]'
                              OR lang GLOB '[a-z][a-z]-*' OR lang GLOB '[a-z][a-z][a-z]-*'),
    PRIMARY KEY (person_id, position),
    UNIQUE (person_id, lang)
);

-- A title a person holds (or held) at an organization.
CREATE TABLE person_titles (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    since TEXT,
    until TEXT,
    UNIQUE (person_id, organization_id, title, since)
);
CREATE INDEX person_titles_by_person ON person_titles(person_id);
CREATE INDEX person_titles_by_organization ON person_titles(organization_id);

-- A typed link between two independent organizations. Symmetric kinds (ally, partner) are
-- stored with from_id < to_id so that each pair is recorded once.
CREATE TABLE relationships (
    id INTEGER PRIMARY KEY,
    from_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    to_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (kind IN ('ally', 'partner', 'member_of', 'affiliate_of', 'founder_of')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('close', 'active', 'dormant', 'ended')),
    since TEXT,
    until TEXT,
    notes TEXT,
    CHECK (from_id <> to_id),
    CHECK (kind NOT IN ('ally', 'partner') OR from_id < to_id),
    UNIQUE (from_id, to_id, kind)
);
CREATE INDEX relationships_by_to ON relationships(to_id, kind);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE
        CHECK (handle GLOB '[a-z0-9]*' AND handle NOT GLOB '*[^a-z0-9-]*' AND length(handle) <= 64),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key TEXT NOT NULL,
    notes TEXT
);
CREATE INDEX campaigns_by_name_key ON campaigns(name_key);

CREATE TABLE organization_campaigns (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    PRIMARY KEY (organization_id, campaign_id)
) WITHOUT ROWID;
CREATE INDEX organization_campaigns_by_campaign ON organization_campaigns(campaign_id);

-- A citation any record can carry: a URL or a document title, publisher, date and excerpt.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (uid GLOB '[a-z0-9]*' AND uid NOT GLOB '*[^a-z0-9-]*'),
    url TEXT,
    title TEXT,
    publisher TEXT,
    published TEXT,
    excerpt TEXT,
    CHECK (url IS NOT NULL OR title IS NOT NULL)
);
CREATE INDEX sources_by_url ON sources(url) WHERE url IS NOT NULL;

CREATE TABLE organization_sources (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (organization_id, source_id)
) WITHOUT ROWID;
CREATE INDEX organization_sources_by_source ON organization_sources(source_id);

CREATE TABLE person_sources (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (person_id, source_id)
) WITHOUT ROWID;
CREATE INDEX person_sources_by_source ON person_sources(source_id);

CREATE TABLE relationship_sources (
    relationship_id INTEGER NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (relationship_id, source_id)
) WITHOUT ROWID;
CREATE INDEX relationship_sources_by_source ON relationship_sources(source_id);

-- The organization this database belongs to: at most one row.
CREATE TABLE home (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT
);

-- Full-text search over organizations (names, acronym, aliases, notes) and people (name, notes),
-- kept in step with the tables by triggers so that every write path updates it.
CREATE VIRTUAL TABLE organization_search USING fts5(
    name, acronym, native_name, aliases, city, notes,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER organization_search_insert AFTER INSERT ON organizations BEGIN
    INSERT INTO organization_search(rowid, name, acronym, native_name, aliases, city, notes)
    VALUES (new.id, new.name, new.acronym, new.native_name, '', new.city, new.notes);
END;
CREATE TRIGGER organization_search_update AFTER UPDATE ON organizations BEGIN
    UPDATE organization_search
    SET name = new.name, acronym = new.acronym, native_name = new.native_name, city = new.city, notes = new.notes
    WHERE rowid = new.id;
END;
CREATE TRIGGER organization_search_delete AFTER DELETE ON organizations BEGIN
    DELETE FROM organization_search WHERE rowid = old.id;
END;
CREATE TRIGGER organization_search_alias_insert AFTER INSERT ON organization_aliases BEGIN
    UPDATE organization_search
    SET aliases = (SELECT group_concat(alias, ' ') FROM organization_aliases WHERE organization_id = new.organization_id)
    WHERE rowid = new.organization_id;
END;
CREATE TRIGGER organization_search_alias_delete AFTER DELETE ON organization_aliases BEGIN
    UPDATE organization_search
    SET aliases = coalesce((SELECT group_concat(alias, ' ') FROM organization_aliases WHERE organization_id = old.organization_id), '')
    WHERE rowid = old.organization_id;
END;

CREATE TRIGGER organization_search_alias_update AFTER UPDATE ON organization_aliases BEGIN
    UPDATE organization_search
    SET aliases = (SELECT group_concat(alias, ' ') FROM organization_aliases WHERE organization_id = new.organization_id)
    WHERE rowid = new.organization_id;
END;

CREATE VIRTUAL TABLE person_search USING fts5(
    name, notes,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER person_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO person_search(rowid, name, notes) VALUES (new.id, new.name, new.notes);
END;
CREATE TRIGGER person_search_update AFTER UPDATE ON people BEGIN
    UPDATE person_search SET name = new.name, notes = new.notes WHERE rowid = new.id;
END;
CREATE TRIGGER person_search_delete AFTER DELETE ON people BEGIN
    DELETE FROM person_search WHERE rowid = old.id;
END;
