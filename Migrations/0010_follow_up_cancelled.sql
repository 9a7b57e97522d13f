-- 0010: a follow-up closed because its activity was cancelled. `cancelled` is the day it was
-- closed that way (as `done` is the day it was done); the follow-up is kept, and shown by
-- `followup list --all`. A follow-up is open while it is neither done nor cancelled.

ALTER TABLE follow_ups ADD COLUMN cancelled TEXT CHECK (cancelled IS NULL OR done IS NULL);
DROP INDEX follow_ups_open_by_due;
CREATE INDEX follow_ups_open_by_due ON follow_ups(due_day) WHERE done IS NULL AND cancelled IS NULL;
