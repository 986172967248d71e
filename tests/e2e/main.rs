//! End-to-end tests: the real app, its real store, driven over WebDriver.
//! Run through `scripts/test.sh`, which builds the app first.
// The tests compare the UI with the store at the real current time, as the app does.
#![allow(clippy::disallowed_methods)]

mod harness;

mod accounts;
mod actions;
mod agency_book;
mod agency_server;
mod attachments;
mod backup;
mod compliance;
mod desk;
mod emergencies;
mod hardening;
mod intake;
mod live;
mod long_export;
mod mail;
mod messages;
mod notifications;
mod paperwork;
mod planned;
mod prepared;
mod quotes;
mod records;
mod repeats;
mod reports;
mod roles;
mod search;
mod sweep;
mod web_portal;
mod work_orders;
