//! Integration tests of the use cases against real SQLite files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod support;

mod accounts;
mod attachments;
mod dashboards;
mod demo;
mod desk;
mod intake;
mod intake_form;
mod invariants;
mod lifecycle;
mod messages;
mod notifications;
mod payments;
