-- The repeat-fault report leaves out planned-maintenance visits (#20), so a report's
-- facts now read whether a schedule raised each order (`reports::facts`). A column the
-- covering index lacks would send each of a year's 70,000 rows back to the table (what
-- 0027's index was made to avoid), so the index is made again with `schedule_id` in it.
DROP INDEX work_orders_report_facts;
CREATE INDEX work_orders_report_facts ON work_orders (opened_at) INCLUDE (
    id, state, priority, priority_rank, category_id, subcategory_id, property_id, unit_id, contractor_id,
    respond_by, resolve_by, responded_at, completed_at, invoice_minor, rating,
    offered_at, accepted_at, started_at, sent_back, schedule_id);
