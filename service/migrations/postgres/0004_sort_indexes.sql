-- Sorting the list by priority or by SLA due reads these in (key, id) order, so each
-- keyset page is a range scan rather than a sort of every matching order.
CREATE INDEX work_orders_by_rank_id ON work_orders (priority_rank, id);
CREATE INDEX work_orders_by_resolve_by ON work_orders (resolve_by, id);
-- "Scheduled today" on the dashboard: one day's range of appointment start times.
CREATE INDEX work_orders_by_appointment ON work_orders (appointment_start);
