-- Found with EXPLAIN QUERY PLAN on the 100k-order store (service/examples/query_plans.rs):
-- contractor and tenant lists sorted in a temp B-tree, and dashboard counts grouped in
-- one. These indexes give each its order directly.
DROP INDEX work_orders_by_contractor;
CREATE INDEX work_orders_by_contractor ON work_orders (contractor_id, opened_at DESC, id DESC);
DROP INDEX work_orders_by_tenant;
CREATE INDEX work_orders_by_tenant ON work_orders (tenant_id, opened_at DESC, id DESC);
CREATE INDEX work_orders_by_state_priority ON work_orders (state, priority_rank);
