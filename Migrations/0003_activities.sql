-- 0003: activities (delegations, exchanges, meetings, conferences, webinars, calls), their
-- itineraries, the organizations and people in their roles, follow-ups, and full-text search.

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (uid GLOB '[a-z0-9]*' AND uid NOT GLOB '*[^a-z0-9-]*' AND length(uid) <= 64),
    kind TEXT NOT NULL CHECK (kind IN ('delegation', 'exchange', 'meeting', 'conference', 'webinar', 'call')),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    hosted INTEGER NOT NULL DEFAULT 0 CHECK (hosted IN (0, 1) AND (hosted = 0 OR kind = 'delegation')),
    virtual INTEGER NOT NULL DEFAULT 0 CHECK (virtual IN (0, 1)),
    start TEXT,
    "end" TEXT,
    -- The interval the partial dates denote, as 'YYYY-MM-DD', for period filters and ordering.
    first_day TEXT,
    last_day TEXT,
    purpose TEXT,
    outcomes TEXT,
    notes TEXT,
    sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    CHECK ((start IS NULL) = (first_day IS NULL) AND (first_day IS NULL) = (last_day IS NULL)),
    CHECK ("end" IS NULL OR start IS NOT NULL),
    CHECK (last_day IS NULL OR last_day >= first_day)
);
-- A period of one kind (a year of delegations) is a range on first_day.
CREATE INDEX activities_by_kind_and_start ON activities(kind, first_day);
CREATE INDEX activities_by_start ON activities(first_day);

CREATE TABLE activity_stops (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    country TEXT NOT NULL CHECK (country GLOB '[A-Z][A-Z]'),
    city TEXT,
    PRIMARY KEY (activity_id, position)
) WITHOUT ROWID;
CREATE INDEX activity_stops_by_country ON activity_stops(country, activity_id);

CREATE TABLE activity_organizations (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    role TEXT NOT NULL CHECK (role IN ('host', 'sender', 'participant', 'organizer', 'met')),
    PRIMARY KEY (activity_id, position),
    UNIQUE (activity_id, organization_id, role)
) WITHOUT ROWID;
CREATE INDEX activity_organizations_by_organization ON activity_organizations(organization_id, activity_id);

CREATE TABLE activity_people (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
    role TEXT NOT NULL CHECK (role IN ('delegate', 'speaker', 'interpreter', 'contact')),
    PRIMARY KEY (activity_id, position),
    UNIQUE (activity_id, person_id, role)
) WITHOUT ROWID;
CREATE INDEX activity_people_by_person ON activity_people(person_id, activity_id);

CREATE TABLE activity_employers (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    employer_id INTEGER NOT NULL REFERENCES employers(id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, employer_id)
) WITHOUT ROWID;
CREATE INDEX activity_employers_by_employer ON activity_employers(employer_id, activity_id);

CREATE TABLE activity_campaigns (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, campaign_id)
) WITHOUT ROWID;
CREATE INDEX activity_campaigns_by_campaign ON activity_campaigns(campaign_id, activity_id);

CREATE TABLE activity_sources (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, source_id)
) WITHOUT ROWID;
CREATE INDEX activity_sources_by_source ON activity_sources(source_id);

CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (uid GLOB '[a-z0-9]*' AND uid NOT GLOB '*[^a-z0-9-]*' AND length(uid) <= 64),
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    due TEXT,
    -- The last day of the due date's interval: overdue once today is past it.
    due_day TEXT,
    done TEXT,
    CHECK ((due IS NULL) = (due_day IS NULL))
);
CREATE INDEX follow_ups_by_activity ON follow_ups(activity_id, position);
CREATE INDEX follow_ups_open_by_due ON follow_ups(due_day) WHERE done IS NULL;

-- Full-text search over titles, purposes, outcomes, notes and follow-ups.
CREATE VIRTUAL TABLE activity_search USING fts5(
    title, purpose, outcomes, notes, follow_ups,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER activity_search_insert AFTER INSERT ON activities BEGIN
    INSERT INTO activity_search(rowid, title, purpose, outcomes, notes, follow_ups)
    VALUES (new.id, new.title, new.purpose, new.outcomes, new.notes, '');
END;
CREATE TRIGGER activity_search_update AFTER UPDATE ON activities BEGIN
    UPDATE activity_search SET title = new.title, purpose = new.purpose, outcomes = new.outcomes, notes = new.notes
    WHERE rowid = new.id;
END;
CREATE TRIGGER activity_search_delete AFTER DELETE ON activities BEGIN
    DELETE FROM activity_search WHERE rowid = old.id;
END;
CREATE TRIGGER activity_search_follow_up_insert AFTER INSERT ON follow_ups BEGIN
    UPDATE activity_search
    SET follow_ups = (SELECT group_concat(text, ' ') FROM follow_ups WHERE activity_id = new.activity_id)
    WHERE rowid = new.activity_id;
END;
CREATE TRIGGER activity_search_follow_up_update AFTER UPDATE OF text ON follow_ups BEGIN
    UPDATE activity_search
    SET follow_ups = (SELECT group_concat(text, ' ') FROM follow_ups WHERE activity_id = new.activity_id)
    WHERE rowid = new.activity_id;
END;
CREATE TRIGGER activity_search_follow_up_delete AFTER DELETE ON follow_ups BEGIN
    UPDATE activity_search
    SET follow_ups = coalesce((SELECT group_concat(text, ' ') FROM follow_ups WHERE activity_id = old.activity_id), '')
    WHERE rowid = old.activity_id;
END;
