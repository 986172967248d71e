-- The change feed (issue "Live"): one row per committed change, written in the change's
-- own transaction (service/src/changes.rs), so connected desktops hear of every change
-- once and a desktop that reconnects resumes after the last id it saw.
--
-- Ids grow in commit order: SQLite has one writer at a time (BEGIN IMMEDIATE), and
-- AUTOINCREMENT never hands out an id again, so no change with a smaller id can commit
-- after a reader has moved past it.
--
-- No foreign keys: the feed is an append-only log (on PostgreSQL a key check under the
-- feed's lock could wait on a writer waiting for the feed; the twins stay the same).
CREATE TABLE changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            INTEGER NOT NULL,
    -- domain::change::ChangeKind by name.
    kind          TEXT   NOT NULL CHECK (kind IN ('Submitted', 'Step', 'Attachments', 'Payout', 'Message',
                                                  'InternalNote', 'DirectMessage', 'Notification')),
    -- The order, for an order's changes.
    work_order_id INTEGER,
    -- The tenant of a direct thread, or the user a notification is for.
    user_id       INTEGER,
    CHECK ((work_order_id IS NULL) <> (user_id IS NULL)),
    CHECK ((user_id IS NOT NULL) = (kind IN ('DirectMessage', 'Notification')))
);
-- No other index: every read (`changes::since`, `changes::latest`) walks the primary key
-- up from the reader's cursor, and each row's visibility is one look-up of its order.
