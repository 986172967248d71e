//! Work orders: listing, reading and (in `act`) changing them.

mod access;
mod act;
mod activity;
mod auto_close;
mod detail;
pub(crate) mod history;
mod intake;
mod list;
mod row;

pub use act::{MAX_NOTE_CHARS, Outcome, act};
pub use activity::recent_activity;
pub use auto_close::auto_close;
pub use detail::detail;
pub use intake::{MAX_DESCRIPTION_CHARS, submit};
pub use list::{MAX_PAGE_SIZE, list};
