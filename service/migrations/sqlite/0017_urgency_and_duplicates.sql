-- Sorting the list by priority puts the most urgent first and, within a priority, the
-- newest first: descending urgency (3 - priority_rank, as `list.rs` writes it), then
-- descending id, read backwards from this index as one keyset range.
CREATE INDEX work_orders_by_urgency_id ON work_orders ((3 - priority_rank), id);
DROP INDEX work_orders_by_rank_id;
-- The triage queue's likely duplicates: other open orders on the same unit for the same
-- kind of fault.
CREATE INDEX work_orders_by_unit_subcategory ON work_orders (unit_id, subcategory_id);
