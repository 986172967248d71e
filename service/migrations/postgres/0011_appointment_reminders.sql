-- The appointment start a reminder was sent for: a rescheduled visit gets a new one,
-- and each is sent once even with several desktops on a shared store.
ALTER TABLE work_orders ADD COLUMN reminded_for BIGINT;
