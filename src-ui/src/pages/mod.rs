pub mod work_order;
pub mod work_orders;
