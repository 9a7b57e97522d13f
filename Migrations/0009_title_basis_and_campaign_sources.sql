-- 0009: what the Seeds' texts say and the schema could not hold.
--   * A title the texts give without dates keeps its basis: the day, month or year a text shows it
--     held (as_of) and the source that says so ("Secretary-Treasurer, ue (as of 2020, ue-nasp-resolution)").
--   * Campaigns carry sources, and a resolution's clause names campaigns (clause 5 of the 79th UE
--     Convention's resolution names the UE-FAT Solidarity Fund and the UE Research and Education Fund).
--   * Campaigns are found by `search`, kept in step by triggers like the other search tables.

ALTER TABLE person_titles ADD COLUMN as_of TEXT;
ALTER TABLE person_titles ADD COLUMN source_id INTEGER REFERENCES sources(id) ON DELETE RESTRICT;
CREATE INDEX person_titles_by_source ON person_titles(source_id) WHERE source_id IS NOT NULL;

CREATE TABLE campaign_sources (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (campaign_id, source_id)
) WITHOUT ROWID;
CREATE INDEX campaign_sources_by_source ON campaign_sources(source_id);

-- A campaign a clause names; `position` orders them within the clause.
CREATE TABLE resolution_campaigns (
    resolution_id INTEGER NOT NULL REFERENCES resolutions(id) ON DELETE CASCADE,
    clause INTEGER NOT NULL CHECK (clause >= 1),
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (resolution_id, clause, campaign_id)
) WITHOUT ROWID;
CREATE INDEX resolution_campaigns_by_campaign ON resolution_campaigns(campaign_id);

CREATE VIRTUAL TABLE campaign_search USING fts5(
    name, notes,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER campaign_search_insert AFTER INSERT ON campaigns BEGIN
    INSERT INTO campaign_search(rowid, name, notes) VALUES (new.id, new.name, new.notes);
END;
CREATE TRIGGER campaign_search_update AFTER UPDATE ON campaigns BEGIN
    UPDATE campaign_search SET name = new.name, notes = new.notes WHERE rowid = new.id;
END;
CREATE TRIGGER campaign_search_delete AFTER DELETE ON campaigns BEGIN
    DELETE FROM campaign_search WHERE rowid = old.id;
END;
INSERT INTO campaign_search(rowid, name, notes) SELECT id, name, notes FROM campaigns ORDER BY id;
