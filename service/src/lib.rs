//! Plumbline's use cases over its store, on SQLite or PostgreSQL (`db` is the one
//! module that knows which).
//!
//! Each use case takes the store, the acting user and the current instant (never read
//! from the system clock here), checks what the actor may see and do, and writes any
//! change together with its history event in one transaction.

pub mod accounts;
pub mod agency;
pub mod api;
pub mod attachments;
pub mod background;
pub mod backup;
pub mod categories;
pub mod changes;
pub mod compliance;
pub mod contractors;
mod csv_text;
pub mod db;
pub mod emergencies;
pub mod error;
pub mod exports;
pub(crate) mod history;
pub mod import;
pub mod input;
pub mod landlords;
pub mod mail;
pub mod messages;
mod money;
pub mod notifications;
pub mod payments;
pub mod periods;
pub mod planned;
pub mod properties;
pub mod quotes;
pub mod reports;
pub mod search;
pub mod seed;
pub mod settings;
pub mod store;
pub mod tenancies;
pub mod time;
pub mod users;
pub mod work_orders;

pub use error::ServiceError;
pub use store::Store;
