pub mod contractor_dashboard;
pub mod dashboard;
pub mod landlord_dashboard;
pub mod new_request;
pub mod tenant_dashboard;
pub mod triage;
pub mod work_order;
pub mod work_orders;
