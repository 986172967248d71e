-- What the contractor report reads of each order's history, kept on the order by each
-- step (service/src/work_orders/act.rs): when it was last offered to a contractor, when
-- last accepted, when work first started, and how often it was sent back (reopened or
-- reported not done). Reading them from the history took 250 ms of a 12-month report on
-- the 100,000-order store (#19); the history stays the record they are filled from.
ALTER TABLE work_orders ADD COLUMN offered_at INTEGER;
ALTER TABLE work_orders ADD COLUMN accepted_at INTEGER;
ALTER TABLE work_orders ADD COLUMN started_at INTEGER;
ALTER TABLE work_orders ADD COLUMN sent_back INTEGER NOT NULL DEFAULT 0;

UPDATE work_orders SET
    offered_at = (SELECT max(e.at) FROM work_order_events e
                  WHERE e.work_order_id = work_orders.id AND e.action IN ('Assign', 'Reassign')),
    accepted_at = (SELECT max(e.at) FROM work_order_events e
                   WHERE e.work_order_id = work_orders.id AND e.action = 'Accept'),
    started_at = (SELECT min(e.at) FROM work_order_events e
                  WHERE e.work_order_id = work_orders.id AND e.action = 'Start'),
    sent_back = (SELECT count(*) FROM work_order_events e
                 WHERE e.work_order_id = work_orders.id AND e.action IN ('Reopen', 'ReportNotDone'));
