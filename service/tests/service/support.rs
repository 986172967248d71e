//! A fresh, migrated store per test: a SQLite file in its own temp directory, or, when
//! `PLUMBLINE_TEST_POSTGRES_URL` names a PostgreSQL server (scripts/with-postgres.sh
//! starts a throwaway one and sets it), a database of its own on that server. The same
//! tests so run on both engines.

use chrono::{DateTime, Utc};
use plumbline_service::Store;
use plumbline_service::db::Pool;
use sqlx::{Connection, PgConnection};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;

/// The server the tests run on instead of SQLite: its admin database's URL.
pub const POSTGRES_URL_VAR: &str = "PLUMBLINE_TEST_POSTGRES_URL";

pub struct TestStore {
    pub store: Store,
    /// The data directory: SQLite's file and `files/`, or only `files/` on PostgreSQL,
    /// so `store.files_dir().parent()` is the test's own folder on either engine.
    dir: TempDir,
    /// The PostgreSQL database made for this test (on the server at the URL), dropped
    /// with it.
    database: Option<(String, String)>,
}

impl TestStore {
    /// Where another process finds this test's store (see [`open_address`]).
    pub fn address(&self) -> StoreAddress {
        match &self.database {
            Some((admin_url, name)) => {
                StoreAddress::Postgres { url: with_database(admin_url, name), files_dir: self.store.files_dir() }
            }
            None => StoreAddress::Sqlite(self.dir.path().to_owned()),
        }
    }
}

/// A test's store as another process opens it: a SQLite data directory, or a PostgreSQL
/// database's URL and the attached files' folder. Written as one line (`sqlite <dir>`,
/// `postgres <url> <files dir>`) so a child process can get it in an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreAddress {
    Sqlite(PathBuf),
    Postgres { url: String, files_dir: PathBuf },
}

impl fmt::Display for StoreAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(dir) => write!(f, "sqlite {}", dir.display()),
            Self::Postgres { url, files_dir } => write!(f, "postgres {url} {}", files_dir.display()),
        }
    }
}

impl FromStr for StoreAddress {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // A URL has no spaces; a path may, so it comes last.
        match text.split_once(' ') {
            Some(("sqlite", dir)) => Ok(Self::Sqlite(dir.into())),
            Some(("postgres", rest)) => match rest.split_once(' ') {
                Some((url, files_dir)) => Ok(Self::Postgres { url: url.to_owned(), files_dir: files_dir.into() }),
                None => Err(format!("no files folder in {text:?}")),
            },
            _ => Err(format!("not a store address: {text:?}")),
        }
    }
}

/// Opens the store at `address` (already migrated by the test that made it).
pub async fn open_address(address: &StoreAddress) -> Store {
    match address {
        StoreAddress::Sqlite(dir) => Store::open(dir).await.expect("store opens"),
        StoreAddress::Postgres { url, files_dir } => Store::connect(url, files_dir).await.expect("store connects"),
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.database.take() {
            // Drop runs inside the test's runtime, which cannot be blocked on: the DROP
            // gets a thread and runtime of its own. FORCE ends the store's pooled
            // connections, which are only closed after this. A database left behind is
            // only disk space until the throwaway cluster goes, so failure just warns.
            let dropped = on_own_runtime(move || async move {
                admin(&admin_url, &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await
            });
            if let Err(error) = dropped {
                eprintln!("warning: test database left behind: {error}");
            }
        }
    }
}

/// The instant every test runs "now" at: a Monday morning in November.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z").expect("valid").with_timezone(&Utc)
}

/// The PostgreSQL server to test on, if one is given.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.is_empty())
}

/// A migrated store with nothing in it, on the engine under test.
pub async fn empty_store() -> TestStore {
    match postgres_url() {
        Some(url) => postgres_store(&url).await,
        None => sqlite_store().await,
    }
}

/// A store holding the demo agency (seeded at [`now`]), on the engine under test.
pub async fn demo_store() -> TestStore {
    let Some(url) = postgres_url() else {
        let test = sqlite_store().await;
        assert!(plumbline_service::seed::demo_if_empty(&test.store, now()).await.expect("demo seeds"));
        return test;
    };
    // Seeding takes a while; copying a seeded database is one statement on the server.
    let template = demo_template(&url);
    postgres_database(&url, &format!("TEMPLATE \"{template}\"")).await
}

/// A migrated, empty SQLite store in its own temp directory.
pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).await.expect("store opens");
    TestStore { store, dir, database: None }
}

/// A migrated, empty database of its own on the PostgreSQL server at `admin_url`.
pub async fn postgres_store(admin_url: &str) -> TestStore {
    postgres_database(admin_url, "").await
}

/// `CREATE DATABASE <fresh name> <options>` on the server, and the store on it.
async fn postgres_database(admin_url: &str, options: &str) -> TestStore {
    let name = fresh_name("plumbline_test");
    admin(admin_url, &format!("CREATE DATABASE \"{name}\" {options}")).await.expect("test database created");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(&with_database(admin_url, &name), &dir.path().join(plumbline_service::store::FILES_DIR))
        .await
        .expect("store connects");
    TestStore { store, dir, database: Some((admin_url.to_owned(), name)) }
}

/// The demo agency seeded once per test process into a database that each
/// [`demo_store`] copies. Each `#[tokio::test]` has its own runtime, gone when it ends,
/// so the seeding gets a thread and runtime of its own; the first test to ask waits for
/// it and the others wait on the lock. The template stays until the cluster goes (a test
/// process has no last moment to drop it in).
fn demo_template(admin_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let admin_url = admin_url.to_owned();
        on_own_runtime(move || async move { seed_template(&admin_url).await.map_err(|error| format!("{error:#}")) })
    });
    match template {
        Ok(name) => name,
        Err(error) => panic!("seeding the demo template database failed: {error}"),
    }
}

async fn seed_template(admin_url: &str) -> anyhow::Result<String> {
    let name = fresh_name("plumbline_demo");
    admin(admin_url, &format!("CREATE DATABASE \"{name}\"")).await?;
    let files = tempfile::tempdir()?;
    let store = Store::connect(&with_database(admin_url, &name), files.path()).await?;
    anyhow::ensure!(plumbline_service::seed::demo_if_empty(&store, now()).await?, "the new database was not empty");
    // A database with open sessions cannot be copied: close them all before any copy.
    if let Pool::Postgres(pool) = store.pool() {
        pool.close().await;
    }
    Ok(name)
}

/// Runs one statement on the server's admin database, on a connection of its own
/// (CREATE/DROP DATABASE cannot run inside a transaction or on the database itself).
async fn admin(admin_url: &str, statement: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(admin_url).await?;
    sqlx::raw_sql(statement).execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// Runs the future `work` makes to the end on a new thread with its own runtime (made
/// there, so the future itself need not be `Send`).
fn on_own_runtime<T, F>(work: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T>,
{
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(work())
    })
    .join()
    .expect("the helper thread finished")
}

/// A database name no other test, test process or earlier run has used: the process id,
/// a counter, and a random part (a leftover of a killed run on a long-lived server).
fn fresh_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let random = RandomState::new().hash_one(std::process::id()) as u32;
    format!("{prefix}_{}_{}_{random:08x}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// `url` with its database (the path) replaced by `database`, query parameters kept.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let server = base[authority..].find('/').map_or(base, |slash| &base[..authority + slash]);
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

#[test]
fn a_database_url_gets_another_database() {
    assert_eq!(with_database("postgres://u@h:5/postgres", "t"), "postgres://u@h:5/t");
    assert_eq!(with_database("postgres://u@h:5/postgres?sslmode=disable", "t"), "postgres://u@h:5/t?sslmode=disable");
    assert_eq!(with_database("postgres://u@h:5", "t"), "postgres://u@h:5/t");
}

#[test]
fn a_store_address_reads_back_as_written() {
    for address in [
        StoreAddress::Sqlite("/tmp/a dir".into()),
        StoreAddress::Postgres { url: "postgres://u@h:5/t".into(), files_dir: "/tmp/a dir/files".into() },
    ] {
        assert_eq!(address.to_string().parse::<StoreAddress>(), Ok(address));
    }
}
