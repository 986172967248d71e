-- PostgreSQL's 0035 adds `schedule_id` to its covering index for a report's facts
-- (`work_orders_report_facts`, its 0027), now that the repeat-fault report leaves out
-- planned-maintenance visits (#20). SQLite has no such index: it reads a report's facts
-- from its compact table. So its 0035 changes nothing, and keeps the two engines'
-- migrations numbered alike.
SELECT 1;
