-- 0016: the accounts of the coalition server (docs/sharing.md). An account belongs to an
-- organization of the coalition, has one role (viewer reads; editor writes; admin also manages
-- accounts and webhook endpoints) and may be allowed to see sensitive records. A password (bcrypt,
-- for the web pages) is optional: an account can work with API tokens alone. A disabled account's
-- tokens are refused at once. Tokens are stored as the SHA-256 digest of the token, never the token.
-- Neither table is in the history of changes: they hold secrets, and undoing a disablement must
-- not be possible.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    password_hash TEXT,
    created_at TEXT NOT NULL,
    disabled_at TEXT
);
CREATE INDEX accounts_by_organization ON accounts(organization_id);

CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT,
    digest BLOB NOT NULL UNIQUE CHECK (length(digest) = 32),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX account_tokens_by_account ON account_tokens(account_id);
