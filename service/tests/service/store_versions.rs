//! Opening a store made by another version of Plumbline: an older SQLite store is copied
//! to `backups/` before its pending migrations run; a store with a migration this build
//! does not know (a newer Plumbline's) is refused, on either engine, and left untouched.

use crate::support::{StoreAddress, postgres_store, postgres_url};
use plumbline_service::Store;
use plumbline_service::db::{Pool, Sql};
use plumbline_service::error::ServiceError;
use plumbline_service::store::{BACKUPS_DIR, DATABASE_FILE};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::path::{Path, PathBuf};

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");

/// A store in `dir` as the previous version left it: every migration but the newest
/// applied, and a row of its own to find in the copy.
async fn previous_version_store(dir: &Path) -> i64 {
    let older = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(MIGRATIONS).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    let newest = files.pop().expect("at least one migration");
    for file in &files {
        std::fs::copy(file, older.path().join(file.file_name().unwrap())).unwrap();
    }
    let pool = sqlite_pool(&dir.join(DATABASE_FILE), true).await;
    Migrator::new(older.path().to_owned()).await.unwrap().run(&pool).await.unwrap();
    sqlx::query("CREATE TABLE kept (what TEXT); INSERT INTO kept VALUES ('the agency''s data')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let name = newest.file_name().unwrap().to_string_lossy().into_owned();
    name.split('_').next().unwrap().parse().expect("a migration's name starts with its version")
}

async fn sqlite_pool(path: &Path, create: bool) -> sqlx::SqlitePool {
    let options = SqliteConnectOptions::new().filename(path).create_if_missing(create);
    SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap()
}

fn backups_in(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir.join(BACKUPS_DIR)) {
        Ok(entries) => entries.map(|entry| entry.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn an_older_store_is_copied_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let newest = previous_version_store(dir.path()).await;

    let store = Store::open(dir.path()).await.expect("the older store opens");
    let (version,): (i64,) = sqlx::query_as("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(match store.pool() {
            Pool::Sqlite(pool) => pool,
            Pool::Postgres(_) => unreachable!("opened as SQLite"),
        })
        .await
        .unwrap();
    assert_eq!(version, newest, "the store was migrated");

    let backups = backups_in(dir.path());
    assert_eq!(backups.len(), 1, "one copy: {backups:?}");
    let name = backups[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("before-migration-{newest:04}-")) && name.ends_with(".sqlite3"), "{name}");
    let copy = sqlite_pool(&backups[0], false).await;
    let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&copy).await.unwrap();
    assert_eq!(integrity, "ok");
    let (before,): (i64,) = sqlx::query_as("SELECT max(version) FROM _sqlx_migrations").fetch_one(&copy).await.unwrap();
    assert!(before < newest, "the copy is of the store before the migration");
    let (kept,): (String,) = sqlx::query_as("SELECT what FROM kept").fetch_one(&copy).await.unwrap();
    assert_eq!(kept, "the agency's data");

    drop(store);
    Store::open(dir.path()).await.expect("opens again");
    assert_eq!(backups_in(dir.path()).len(), 1, "nothing pending, nothing copied");
}

#[tokio::test]
async fn a_new_store_needs_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).await.unwrap();
    assert!(backups_in(dir.path()).is_empty());
}

const NEWER: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                     VALUES (99999, 'from a newer Plumbline', TRUE, ";

fn assert_refused_as_newer(refusal: ServiceError) {
    let ServiceError::NotAllowed(message) = &refusal else { panic!("refused for the wrong reason: {refusal:?}") };
    assert!(message.contains("saved by a newer version of Plumbline"), "{message}");
    assert!(message.contains("99999"), "{message}");
}

#[tokio::test]
async fn a_sqlite_store_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).await.unwrap());
    let pool = sqlite_pool(&dir.path().join(DATABASE_FILE), false).await;
    sqlx::query(&format!("{NEWER} X'00', 0)")).execute(&pool).await.unwrap();
    pool.close().await;

    assert_refused_as_newer(Store::open(dir.path()).await.expect_err("a newer store is refused"));
    assert!(backups_in(dir.path()).is_empty(), "nothing copied");
}

#[tokio::test]
async fn a_postgres_store_from_a_newer_version_is_refused() {
    let Some(url) = postgres_url() else {
        eprintln!("skipped: set {} (scripts/with-postgres.sh does)", crate::support::POSTGRES_URL_VAR);
        return;
    };
    let test_store = postgres_store(&url).await;
    let Pool::Postgres(pool) = test_store.store.pool() else { unreachable!("a PostgreSQL store") };
    sqlx::query(&format!("{NEWER} decode('00', 'hex'), 0)")).execute(pool).await.unwrap();
    let StoreAddress::Postgres { url, files_dir } = test_store.address() else { unreachable!("a PostgreSQL store") };

    assert_refused_as_newer(Store::connect(&url, &files_dir).await.expect_err("a newer database is refused"));
}

/// Restoring a backup moves the store's files: closing it must leave no connection open,
/// even while others are being taken and handed back at that moment (a connection left
/// open unlinks the restored store's `-wal` and `-shm` when it finally closes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_store_in_use_leaves_no_connection_open() {
    for round in 0..40 {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let users = (0..3).map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                // Until the store is closed: each turn takes a connection and hands it back.
                let count = Sql::new("SELECT count(*) FROM users");
                while count.fetch_one::<(i64,)>(&store).await.is_ok() {}
            })
        });
        let users: Vec<_> = users.collect();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        store.close().await;
        let Pool::Sqlite(pool) = store.pool() else { unreachable!("a SQLite store") };
        assert_eq!(pool.size(), 0, "round {round}: a connection outlived closing the store");
        for user in users {
            user.await.unwrap();
        }
    }
}
