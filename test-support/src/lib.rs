//! What the tests of every crate need to run against a real store, written once.
//!
//! A test gets a fresh, migrated store of its own ([`TestStore`]): a SQLite file in a
//! temp directory, or, when `PLUMBLINE_TEST_POSTGRES_URL` names a PostgreSQL server
//! (scripts/with-postgres.sh starts a throwaway one and sets it), a database of its own on
//! that server, dropped with the test. The same tests so run on both engines. The demo
//! agency is seeded once per test process into a template (a database on the server, a
//! file's bytes on SQLite) that each test copies.
//!
//! With the `server` feature, [`TestServer`] starts the agency server in-process on such a
//! store, over real HTTPS, with a client that trusts exactly its certificate.
//!
//! [`MailServer`] is a real SMTP server (aiosmtpd) for the e-mail tests.
//!
//! Only ever a dev-dependency.

mod address;
pub mod agency_book;
mod mail_server;
mod own_runtime;
mod postgres;
#[cfg(feature = "server")]
mod server;
mod sqlite;
mod store;

pub use address::{StoreAddress, open_address};
pub use mail_server::{MailServer, ReceivedMail};
#[cfg(feature = "server")]
pub use server::{Answer, TestServer, WebSession, answer, web_session_of};
pub use store::{
    POSTGRES_URL_VAR, TestStore, demo_store, demo_store_at, empty_store, postgres_store, postgres_url, seeded_at,
    sqlite_store, twin_demo_stores,
};
