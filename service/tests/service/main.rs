//! Integration tests of the use cases against real SQLite files, or against a real
//! PostgreSQL server when PLUMBLINE_TEST_POSTGRES_URL names one (scripts/with-postgres.sh).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod fuzz;
mod import;
mod support;

mod accounts;
mod agency_time;
mod amounts;
mod api;
mod attachments;
mod backup;
mod backup_while_writing;
mod certificate_files;
mod changes;
mod compliance;
mod concurrency;
mod dashboards;
mod demo;
mod desk;
mod emergencies;
mod export;
mod intake;
mod intake_form;
mod invariants;
mod lifecycle;
mod limits;
mod mail;
mod messages;
mod notifications;
mod paging;
mod payments;
mod planned;
mod quotes;
mod records;
mod repeats;
mod reports;
mod schema;
mod search;
mod sessions;
mod store_versions;
mod visibility;
