-- Running a real agency: its own properties, contractors, landlords and rules.

-- A property the agency no longer manages leaves the lists and intake; it is never
-- deleted while it has orders, so its history stays whole. NULL means managed.
ALTER TABLE properties ADD COLUMN archived_at BIGINT;
-- One record per address: how import and the property screens recognise a property
-- they already hold.
CREATE UNIQUE INDEX properties_by_address ON properties (lower(street), lower(postcode));

-- Above their approval threshold a landlord's costs wait for them, and staff may approve
-- on their behalf only while this is set (as every landlord's management agreement
-- allowed until now).
ALTER TABLE landlord_thresholds ADD COLUMN staff_may_approve INTEGER NOT NULL DEFAULT 1;

-- Agency rules the admin sets.
ALTER TABLE agency ADD COLUMN tenants_may_cancel_after_accept INTEGER NOT NULL DEFAULT 0;

-- Days the SLA clock does not count (besides the non-working weekdays), agency-local.
CREATE TABLE bank_holidays (
    day  TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT ''
);

-- The settings' audit trail: who changed what, when, from what to what.
CREATE TABLE settings_changes (
    id       INTEGER PRIMARY KEY,
    at       BIGINT  NOT NULL,
    actor_id BIGINT  NOT NULL REFERENCES users (id),
    setting  TEXT    NOT NULL,
    before   TEXT    NOT NULL,
    after    TEXT    NOT NULL
);
CREATE INDEX settings_changes_by_time ON settings_changes (at DESC, id DESC);

-- Reminders already sent about a contractor's insurance or licence running out, so
-- each (document, expiry, days ahead) reminds once.
CREATE TABLE expiry_reminders (
    contractor_id BIGINT NOT NULL REFERENCES contractors (user_id),
    document      TEXT   NOT NULL CHECK (document IN ('insurance', 'licence')),
    expires_on    TEXT   NOT NULL,
    days_ahead    BIGINT NOT NULL,
    PRIMARY KEY (contractor_id, document, expires_on, days_ahead)
);
