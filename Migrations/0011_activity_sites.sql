-- 0011: the sites an activity names (a delegation that visited Wabtec's Contagem plant, a meeting
-- at a GE works). A site named by an activity is kept until the link is removed: `site remove`
-- lists such activities, and `site replace` moves the links to another site.

CREATE TABLE activity_sites (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, site_id)
) WITHOUT ROWID;
CREATE INDEX activity_sites_by_site ON activity_sites(site_id, activity_id);
