pub mod dashboard;
pub mod triage;
pub mod work_order;
pub mod work_orders;
