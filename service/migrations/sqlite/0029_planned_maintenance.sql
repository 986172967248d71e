-- Planned maintenance (#20): schedules that raise work orders ahead of each occurrence
-- (domain/src/planned.rs, service/src/planned.rs).
CREATE TABLE maintenance_schedules (
    id             INTEGER PRIMARY KEY,
    property_id    INTEGER NOT NULL REFERENCES properties (id),
    -- NULL: the whole property; its orders go on the property's first unit, with no tenant.
    unit_id        INTEGER REFERENCES units (id),
    subcategory_id INTEGER NOT NULL REFERENCES categories (id),
    title          TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description    TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
    -- Either every N months from first_due, or on the listed days (YYYY-MM-DD, comma-separated).
    every_months   INTEGER CHECK (every_months BETWEEN 1 AND 120),
    first_due      TEXT,
    on_dates       TEXT,
    lead_days      INTEGER NOT NULL CHECK (lead_days BETWEEN 0 AND 180),
    -- The next occurrence not yet raised: its number and its day, NULL when none is left.
    -- The engine claims an occurrence by moving next_index on with a guarded update.
    next_index     INTEGER NOT NULL DEFAULT 0,
    next_due       TEXT,
    paused_at      INTEGER,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    CHECK ((every_months IS NOT NULL AND first_due IS NOT NULL AND on_dates IS NULL)
        OR (every_months IS NULL AND first_due IS NULL AND on_dates IS NOT NULL))
);
-- The engine's question each minute: which running schedules have an occurrence left.
CREATE INDEX schedules_due ON maintenance_schedules (next_due) WHERE paused_at IS NULL AND next_due IS NOT NULL;
CREATE INDEX schedules_by_property ON maintenance_schedules (property_id);

-- A schedule's history: made, paused, resumed, each order raised.
CREATE TABLE schedule_events (
    id          INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES maintenance_schedules (id),
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users (id), -- NULL: the background engine
    note        TEXT    NOT NULL
);
CREATE INDEX schedule_events_by_schedule ON schedule_events (schedule_id, at, id);

-- An order a schedule raised, and the occurrence it is for: at most one order each.
ALTER TABLE work_orders ADD COLUMN schedule_id INTEGER REFERENCES maintenance_schedules (id);
ALTER TABLE work_orders ADD COLUMN planned_for TEXT;
CREATE UNIQUE INDEX work_orders_by_schedule ON work_orders (schedule_id, planned_for) WHERE schedule_id IS NOT NULL;
