//! Work orders: listing, reading and (in `act`) changing them.

mod access;
mod detail;
mod list;
mod row;

pub use detail::detail;
pub use list::{MAX_PAGE_SIZE, list};
