//! The agency server over real HTTPS on loopback: a server per test, in this process,
//! on a SQLite store, or on PostgreSQL when PLUMBLINE_TEST_POSTGRES_URL names a server
//! (scripts/with-postgres.sh); the server and its stores are plumbline-test-support's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attachments;
mod background;
mod backups;
mod certificate_files;
mod changes;
mod every_command;
mod exports;
mod import;
mod mail;
mod requests;
mod roles;
mod sign_in;
mod tokens;
mod web;
