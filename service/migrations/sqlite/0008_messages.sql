-- Messages (SPEC "Messages and notifications"): each order's thread among its parties,
-- the agency's internal notes on it, and each tenant's direct thread with the agency.
--
-- The first schema's messages table was never written; it could not say whose direct
-- thread a message was on and allowed 5000 characters, so it is replaced.
DROP INDEX messages_by_order;
DROP TABLE messages;

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    -- Exactly one thread: an order's, or a tenant's direct thread with the agency.
    work_order_id INTEGER REFERENCES work_orders (id),
    tenant_id     INTEGER REFERENCES users (id),
    author_id     INTEGER NOT NULL REFERENCES users (id),
    -- Trimmed, 1 to 2000 characters (domain::message::MessageBody).
    body          TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    -- Agency-only; only on an order's thread (a direct thread is the tenant's own).
    internal      INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    sent_at       INTEGER NOT NULL,
    CHECK ((work_order_id IS NULL) <> (tenant_id IS NULL)),
    CHECK (internal = 0 OR work_order_id IS NOT NULL)
);
-- An order's thread, oldest first; its unread count (ids above the last read).
CREATE INDEX messages_by_order ON messages (work_order_id, id) WHERE work_order_id IS NOT NULL;
-- A tenant's direct thread, and the agency's list of them by latest message.
CREATE INDEX messages_by_tenant ON messages (tenant_id, id) WHERE tenant_id IS NOT NULL;

-- How far each user has read each thread: the id of the last message they were shown.
-- Messages are unread above it, so a new thread is all unread.
CREATE TABLE message_reads (
    user_id       INTEGER NOT NULL REFERENCES users (id),
    work_order_id INTEGER REFERENCES work_orders (id),
    tenant_id     INTEGER REFERENCES users (id),
    last_read_id  INTEGER NOT NULL,
    read_at       INTEGER NOT NULL,
    CHECK ((work_order_id IS NULL) <> (tenant_id IS NULL))
);
CREATE UNIQUE INDEX message_reads_of_order ON message_reads (user_id, work_order_id)
    WHERE work_order_id IS NOT NULL;
CREATE UNIQUE INDEX message_reads_of_tenant_thread ON message_reads (user_id, tenant_id)
    WHERE tenant_id IS NOT NULL;
