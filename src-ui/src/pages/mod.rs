pub mod dashboard;
pub mod new_request;
pub mod triage;
pub mod work_order;
pub mod work_orders;
