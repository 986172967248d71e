-- Plumbline schema. Times are UTC unix seconds (INTEGER: compact, indexable, no
-- format drift); money is integer minor units; states and priorities are the domain's
-- enum names, with priority_rank kept beside priority so lists sort by an index.

CREATE TABLE agency (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT    NOT NULL,
    currency        TEXT    NOT NULL DEFAULT 'GBP',
    time_zone       TEXT    NOT NULL DEFAULT 'Europe/London',
    working_days    TEXT    NOT NULL DEFAULT 'Mon,Tue,Wed,Thu,Fri',
    day_start       TEXT    NOT NULL DEFAULT '09:00',
    day_end         TEXT    NOT NULL DEFAULT '17:30',
    auto_close_days INTEGER NOT NULL DEFAULT 7 CHECK (auto_close_days > 0),
    escalation_contact TEXT
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT    NOT NULL,
    phone         TEXT,
    role          TEXT    NOT NULL CHECK (role IN ('staff', 'admin', 'landlord', 'contractor', 'tenant')),
    password_hash TEXT,
    on_duty       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_by_role ON users (role, name);

-- Per-landlord cost-approval thresholds (minor units).
CREATE TABLE landlord_thresholds (
    landlord_id        INTEGER PRIMARY KEY REFERENCES users (id),
    notify_from_minor  INTEGER NOT NULL DEFAULT 20000 CHECK (notify_from_minor >= 0),
    approval_above_minor INTEGER NOT NULL DEFAULT 50000 CHECK (approval_above_minor >= 0)
);

CREATE TABLE properties (
    id          INTEGER PRIMARY KEY,
    landlord_id INTEGER NOT NULL REFERENCES users (id),
    name        TEXT    NOT NULL,
    street      TEXT    NOT NULL,
    city        TEXT    NOT NULL,
    postcode    TEXT    NOT NULL
);
CREATE INDEX properties_by_landlord ON properties (landlord_id);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    property_id INTEGER NOT NULL REFERENCES properties (id),
    label       TEXT    NOT NULL,
    UNIQUE (property_id, label)
);

-- Access instructions live on the tenancy and are copied onto each new request.
CREATE TABLE tenancies (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    tenant_id       INTEGER NOT NULL REFERENCES users (id),
    started_on      TEXT    NOT NULL,
    ended_on        TEXT,
    gate_code       TEXT,
    lockbox_code    TEXT,
    pets            TEXT    NOT NULL DEFAULT '',
    best_contact    TEXT    NOT NULL DEFAULT '',
    preferred_times TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX tenancies_by_tenant ON tenancies (tenant_id);
CREATE INDEX tenancies_by_unit ON tenancies (unit_id);

CREATE TABLE categories (
    id                 INTEGER PRIMARY KEY,
    parent_id          INTEGER REFERENCES categories (id),
    name               TEXT    NOT NULL,
    default_priority   TEXT    NOT NULL CHECK (default_priority IN ('Emergency', 'Urgent', 'Routine', 'Low')),
    troubleshooting    TEXT    NOT NULL DEFAULT '',
    emergency_keywords TEXT    NOT NULL DEFAULT '',
    UNIQUE (parent_id, name)
);

CREATE TABLE contractors (
    user_id              INTEGER PRIMARY KEY REFERENCES users (id),
    company              TEXT    NOT NULL,
    hourly_rate_minor    INTEGER NOT NULL DEFAULT 0 CHECK (hourly_rate_minor >= 0),
    callout_fee_minor    INTEGER NOT NULL DEFAULT 0 CHECK (callout_fee_minor >= 0),
    insurance_expires_on TEXT,
    licence_expires_on   TEXT,
    preferred            INTEGER NOT NULL DEFAULT 0,
    notes                TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE contractor_categories (
    contractor_id INTEGER NOT NULL REFERENCES contractors (user_id),
    category_id   INTEGER NOT NULL REFERENCES categories (id),
    PRIMARY KEY (contractor_id, category_id)
);

-- respond / resolve spans as the domain's SlaSpan in JSON, e.g. {"Hours":4}.
CREATE TABLE sla_targets (
    priority TEXT PRIMARY KEY CHECK (priority IN ('Emergency', 'Urgent', 'Routine', 'Low')),
    respond  TEXT NOT NULL,
    resolve  TEXT NOT NULL
);

CREATE TABLE work_orders (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    property_id     INTEGER NOT NULL REFERENCES properties (id),
    tenancy_id      INTEGER REFERENCES tenancies (id),
    tenant_id       INTEGER REFERENCES users (id),
    raised_by       INTEGER NOT NULL REFERENCES users (id),
    category_id     INTEGER NOT NULL REFERENCES categories (id),
    subcategory_id  INTEGER NOT NULL REFERENCES categories (id),
    severity        TEXT    NOT NULL CHECK (severity IN ('Emergency', 'Urgent', 'Routine', 'Low')),
    priority        TEXT    NOT NULL CHECK (priority IN ('Emergency', 'Urgent', 'Routine', 'Low')),
    priority_rank   INTEGER NOT NULL CHECK (priority_rank BETWEEN 0 AND 3),
    triage_reason   TEXT    NOT NULL,
    description     TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
    gate_code       TEXT,
    lockbox_code    TEXT,
    pets            TEXT    NOT NULL DEFAULT '',
    best_contact    TEXT    NOT NULL DEFAULT '',
    preferred_times TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL CHECK (state IN ('New', 'AwaitingApproval', 'Assigned', 'Accepted', 'Scheduled',
                                                      'InProgress', 'Completed', 'Closed', 'Rejected', 'Cancelled')),
    contractor_id   INTEGER REFERENCES contractors (user_id),
    estimate_minor  INTEGER CHECK (estimate_minor >= 0),
    approved_minor  INTEGER CHECK (approved_minor >= 0),
    invoice_minor   INTEGER CHECK (invoice_minor >= 0),
    appointment_start INTEGER,
    appointment_end   INTEGER,
    opened_at       INTEGER NOT NULL,
    respond_by      INTEGER NOT NULL,
    resolve_by      INTEGER NOT NULL,
    responded_at    INTEGER,
    completed_at    INTEGER,
    closed_at       INTEGER,
    rating          INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment  TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
);
-- The list pages newest first, by state, priority, property, contractor, tenant.
CREATE INDEX work_orders_by_opened ON work_orders (opened_at DESC, id DESC);
CREATE INDEX work_orders_by_state ON work_orders (state, opened_at DESC, id DESC);
CREATE INDEX work_orders_by_priority ON work_orders (priority_rank, opened_at DESC, id DESC);
CREATE INDEX work_orders_by_property ON work_orders (property_id, opened_at DESC, id DESC);
CREATE INDEX work_orders_by_contractor ON work_orders (contractor_id, state, opened_at DESC);
CREATE INDEX work_orders_by_tenant ON work_orders (tenant_id, opened_at DESC);
CREATE INDEX work_orders_by_category ON work_orders (category_id, opened_at DESC);
-- The triage queue and SLA alerts: open orders by due time.
CREATE INDEX work_orders_by_resolve_due ON work_orders (state, resolve_by);

-- The audit trail: every change to an order, written in the same transaction.
CREATE TABLE work_order_events (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    at            INTEGER NOT NULL,
    actor_id      INTEGER REFERENCES users (id), -- NULL: the system (auto-close, reminders)
    action        TEXT    NOT NULL,
    from_state    TEXT,
    to_state      TEXT,
    note          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_by_order ON work_order_events (work_order_id, at, id);
CREATE INDEX events_by_time ON work_order_events (at DESC, id DESC);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER REFERENCES work_orders (id), -- NULL: a tenant's direct message to the agency
    author_id     INTEGER NOT NULL REFERENCES users (id),
    body          TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    internal      INTEGER NOT NULL DEFAULT 0,
    sent_at       INTEGER NOT NULL
);
CREATE INDEX messages_by_order ON messages (work_order_id, sent_at);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    uploader_id   INTEGER NOT NULL REFERENCES users (id),
    sha256        TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    mime          TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
    kind          TEXT    NOT NULL CHECK (kind IN ('before', 'after', 'invoice', 'quote', 'other')),
    added_at      INTEGER NOT NULL
);
CREATE INDEX attachments_by_order ON attachments (work_order_id);

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    work_order_id INTEGER REFERENCES work_orders (id),
    event_id      INTEGER REFERENCES work_order_events (id),
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    read_at       INTEGER
);
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id DESC);

CREATE TABLE quotes (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    contractor_id INTEGER NOT NULL REFERENCES contractors (user_id),
    lines         TEXT    NOT NULL DEFAULT '[]',
    total_minor   INTEGER NOT NULL CHECK (total_minor >= 0),
    status        TEXT    NOT NULL CHECK (status IN ('Requested', 'Submitted', 'Approved', 'Declined')),
    created_at    INTEGER NOT NULL
);
CREATE INDEX quotes_by_order ON quotes (work_order_id);

CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL CHECK (ends_at > starts_at),
    proposed_by   INTEGER NOT NULL REFERENCES users (id),
    confirmed     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appointments_by_start ON appointments (starts_at);
CREATE INDEX appointments_by_order ON appointments (work_order_id);

CREATE TABLE payables (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL UNIQUE REFERENCES work_orders (id),
    contractor_id INTEGER NOT NULL REFERENCES contractors (user_id),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    status        TEXT    NOT NULL CHECK (status IN ('PendingReview', 'AwaitingPayout', 'Paid')),
    paid_on       TEXT,
    reference     TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX payables_by_contractor ON payables (contractor_id, status);
