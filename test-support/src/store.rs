//! The store under test, on the engine `PLUMBLINE_TEST_POSTGRES_URL` chooses.

use crate::address::StoreAddress;
use crate::{postgres, sqlite};
use chrono::{DateTime, Utc};
use plumbline_service::Store;
use plumbline_service::store::FILES_DIR;
use std::sync::OnceLock;
use tempfile::TempDir;

/// The server the tests run on instead of SQLite: its admin database's URL.
pub const POSTGRES_URL_VAR: &str = "PLUMBLINE_TEST_POSTGRES_URL";

/// The PostgreSQL server to test on, if one is given.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.is_empty())
}

/// A store of the test's own; its PostgreSQL database (if any) is dropped with it.
pub struct TestStore {
    pub store: Store,
    /// The data directory: SQLite's file and `files/`, or only `files/` on PostgreSQL,
    /// so `store.files_dir().parent()` is the test's own folder on either engine.
    dir: TempDir,
    /// The PostgreSQL database made for this test, on the server at `admin_url`.
    database: Option<postgres::Database>,
}

impl TestStore {
    /// Where another process finds this test's store (see [`crate::open_address`]).
    pub fn address(&self) -> StoreAddress {
        match &self.database {
            Some(database) => StoreAddress::Postgres { url: database.url(), files_dir: self.store.files_dir() },
            None => StoreAddress::Sqlite(self.dir.path().to_owned()),
        }
    }
}

impl TestStore {
    /// The same store opened a second time, as another process would open it (a second
    /// agency server on one database): its own pool and change feed. The original keeps
    /// the database and drops it; the copy's own folder is empty.
    pub async fn opened_again(&self) -> TestStore {
        let store = crate::open_address(&self.address()).await;
        TestStore { store, dir: tempfile::tempdir().expect("temp dir"), database: None }
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Some(database) = self.database.take() {
            database.drop_now();
        }
    }
}

/// The instant [`demo_store`] and [`twin_demo_stores`] seed the demo agency at: the real
/// clock's, read once per test process, so a server on the real clock finds its demo
/// current, and a server on a fixed clock can be held to the service at that instant.
#[allow(clippy::disallowed_methods)]
pub fn seeded_at() -> DateTime<Utc> {
    static AT: OnceLock<DateTime<Utc>> = OnceLock::new();
    *AT.get_or_init(Utc::now)
}

/// A migrated store with nothing in it, on the engine under test.
pub async fn empty_store() -> TestStore {
    match postgres_url() {
        Some(url) => postgres_store(&url).await,
        None => sqlite_store().await,
    }
}

/// A store holding the demo agency seeded at [`seeded_at`], on the engine under test.
pub async fn demo_store() -> TestStore {
    demo_store_at(seeded_at()).await
}

/// A store holding the demo agency seeded at `at`, on the engine under test.
pub async fn demo_store_at(at: DateTime<Utc>) -> TestStore {
    let Some(url) = postgres_url() else {
        return sqlite_demo_store(at).await;
    };
    // Seeding takes a while; copying a seeded database is one statement on the server.
    let template = postgres::demo_template(&url, at);
    postgres_database(&url, &format!("TEMPLATE \"{template}\"")).await
}

/// Two stores holding the same demo agency (seeded at [`seeded_at`]), row for row: one
/// for a server, one to run the same commands on in process.
pub async fn twin_demo_stores() -> (TestStore, TestStore) {
    if let Some(url) = postgres_url() {
        let template = format!("TEMPLATE \"{}\"", postgres::demo_template(&url, seeded_at()));
        return (postgres_database(&url, &template).await, postgres_database(&url, &template).await);
    }
    (sqlite_demo_store(seeded_at()).await, sqlite_demo_store(seeded_at()).await)
}

/// A SQLite store holding a copy of the demo agency seeded at `at`.
async fn sqlite_demo_store(at: DateTime<Utc>) -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    sqlite::copy_demo_into(dir.path(), at);
    sqlite_store_in(dir).await
}

/// A migrated, empty SQLite store in its own temp directory.
pub async fn sqlite_store() -> TestStore {
    sqlite_store_in(tempfile::tempdir().expect("temp dir")).await
}

async fn sqlite_store_in(dir: TempDir) -> TestStore {
    let store = Store::open(dir.path()).await.expect("store opens");
    TestStore { store, dir, database: None }
}

/// A migrated, empty database of its own on the PostgreSQL server at `admin_url`.
pub async fn postgres_store(admin_url: &str) -> TestStore {
    postgres_database(admin_url, "").await
}

/// A new database on the server (`CREATE DATABASE <fresh name> <options>`), and the
/// store on it.
async fn postgres_database(admin_url: &str, options: &str) -> TestStore {
    let database = postgres::Database::create(admin_url, options).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(&database.url(), &dir.path().join(FILES_DIR)).await.expect("store connects");
    TestStore { store, dir, database: Some(database) }
}
