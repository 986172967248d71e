-- Emergencies that reach a person (#20): an emergency raises a critical desktop
-- notification for each on-duty staff member (users.on_duty), is e-mailed out of hours
-- to the agency's escalation address, and is escalated again, once, when no one
-- responds within its response target (service/src/emergencies.rs).
ALTER TABLE notifications ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agency ADD COLUMN escalation_email TEXT;
-- When the engine escalated the order again: claimed once by a guarded update.
ALTER TABLE work_orders ADD COLUMN escalated_at INTEGER;
-- The engine's minute question: which emergencies are still unanswered.
CREATE INDEX work_orders_unanswered_emergencies ON work_orders (respond_by)
    WHERE priority = 'Emergency' AND responded_at IS NULL AND escalated_at IS NULL;
