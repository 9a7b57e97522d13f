-- 0006: indexes for listing relationships by kind and by status across the whole database
-- (`relationship list --kind ally`, `--status close`), which otherwise scan the table.

CREATE INDEX relationships_by_kind ON relationships(kind, status);
CREATE INDEX relationships_by_status ON relationships(status);
