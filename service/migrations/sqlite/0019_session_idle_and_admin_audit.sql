-- A session opened for one visit (no "Remember me") ends after the agency's idle time
-- without a command; a remembered one lasts its days, so closing the app overnight does
-- not sign its owner out. Rows from before this migration were all remembered.
ALTER TABLE sessions ADD COLUMN ends_when_idle BOOLEAN NOT NULL DEFAULT FALSE;
-- Moved forward at most once a minute by the commands the session runs.
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER;
UPDATE sessions SET last_used_at = created_at;

-- Every admin action on an account: who did what to whom, and when. Written in the
-- action's own transaction, never changed afterwards; an admin reads it newest first (by id).
CREATE TABLE admin_actions (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    admin_id       INTEGER NOT NULL REFERENCES users (id),
    action         TEXT    NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    detail         TEXT    NOT NULL DEFAULT ''
);
