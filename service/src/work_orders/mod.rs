//! Work orders: listing, reading and (in `act`) changing them.

pub(crate) mod access;
mod act;
mod activity;
mod amounts;
mod auto_close;
mod booked;
mod dashboard;
mod detail;
pub mod export;
pub(crate) mod filter;
mod intake;
mod limits;
mod list;
mod policy;
mod reminders;
mod repeats;
mod row;
mod sla_alerts;
mod triage_queue;

pub use act::{MAX_NOTE_CHARS, Outcome, act, explain};
pub(crate) use act::{act_in, assignable};
pub use activity::recent_activity;
pub use auto_close::auto_close;
pub(crate) use booked::{Booked, book};
pub use dashboard::tally::Tally;
pub use dashboard::{contractor_dashboard, landlord_dashboard, staff_dashboard, tenant_dashboard};
pub use detail::{detail, history};
pub use filter::{MAX_PROPERTY_TEXT_CHARS, filter_options};
pub use intake::{MAX_DESCRIPTION_CHARS, submit};
pub use list::{Amount, MAX_PAGE_SIZE, count, list, total};
pub use reminders::{REMIND_BEFORE_HOURS, send_reminders, settle_reminders};
pub use sla_alerts::{announce_sla, settle_sla};
pub use triage_queue::{QUEUE_LENGTH, queue_filter, triage_queue};
