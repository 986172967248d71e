pub mod new_request;
pub mod work_order;
pub mod work_orders;
