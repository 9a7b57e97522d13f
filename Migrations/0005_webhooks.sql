-- 0005: webhook endpoints, the outbox of events, and their deliveries.

CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (uid GLOB '[a-z0-9]*' AND uid NOT GLOB '*[^a-z0-9-]*'),
    url TEXT NOT NULL CHECK (url GLOB 'http://?*' OR url GLOB 'https://?*'),
    description TEXT,
    -- Event types this endpoint receives, space-separated; "*" for all.
    events TEXT NOT NULL CHECK (length(trim(events)) > 0),
    secret TEXT NOT NULL CHECK (secret GLOB 'whsec_?*'),
    -- The secret before the last rotation, which still signs until previous_until.
    previous_secret TEXT,
    previous_until TEXT,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    disabled_reason TEXT,
    created_at TEXT NOT NULL
);

-- One event per change, written in the change's transaction.
CREATE TABLE outbox_events (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    created_at TEXT NOT NULL
);

-- One delivery per event and subscribed endpoint: pending until delivered, retried on a
-- schedule, dead after the last try.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    event_id INTEGER NOT NULL REFERENCES outbox_events(id) ON DELETE CASCADE,
    endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- Seconds since 1970 (UTC) when the next attempt is due.
    next_attempt_at REAL,
    last_attempt_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    delivered_at TEXT,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, status);

-- Which overdue follow-ups have been announced, so that each is announced once.
ALTER TABLE follow_ups ADD COLUMN overdue_announced INTEGER NOT NULL DEFAULT 0 CHECK (overdue_announced IN (0, 1));
