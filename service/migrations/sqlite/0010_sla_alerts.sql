-- The last SLA alert sent for an order ('AtRisk' or 'Breached'), so each is sent once
-- even when several desktops on a shared store look at the same time.
ALTER TABLE work_orders ADD COLUMN sla_alerted TEXT CHECK (sla_alerted IN ('AtRisk', 'Breached'));
