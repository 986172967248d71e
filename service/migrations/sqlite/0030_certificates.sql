-- Compliance certificates per property (#20): gas safety, EICR, EPC, alarms and the
-- agency's own kinds (domain/src/compliance.rs, service/src/compliance.rs). A property's
-- current certificate of a kind is the one that runs out last; older ones are its history.
CREATE TABLE certificates (
    id               INTEGER PRIMARY KEY,
    property_id      INTEGER NOT NULL REFERENCES properties (id),
    kind             TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
    issued_on        TEXT    NOT NULL,
    expires_on       TEXT    NOT NULL CHECK (expires_on > issued_on),
    recorded_by      INTEGER NOT NULL REFERENCES users (id),
    recorded_at      INTEGER NOT NULL,
    -- The order raised to renew it, claimed once by a guarded update.
    renewal_order_id INTEGER REFERENCES work_orders (id)
);
-- The engine's daily question (what runs out soon) and each property's list.
CREATE INDEX certificates_by_expiry ON certificates (expires_on);
CREATE INDEX certificates_by_property ON certificates (property_id, kind, expires_on);

-- Reminders sent, 30 and 7 days ahead: one row claims each, once.
CREATE TABLE certificate_reminders (
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    days_ahead     INTEGER NOT NULL,
    PRIMARY KEY (certificate_id, days_ahead)
);
