//! Integration tests of the use cases against real SQLite files, or against a real
//! PostgreSQL server when PLUMBLINE_TEST_POSTGRES_URL names one (scripts/with-postgres.sh).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod import;
mod support;

mod accounts;
mod amounts;
mod api;
mod attachments;
mod backup;
mod backup_while_writing;
mod changes;
mod concurrency;
mod dashboards;
mod demo;
mod desk;
mod intake;
mod intake_form;
mod invariants;
mod lifecycle;
mod messages;
mod limits;
mod notifications;
mod payments;
mod paging;
mod records;
mod schema;
mod visibility;
