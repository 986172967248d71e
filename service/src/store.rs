//! The store: where the engine is chosen. One SQLite file on this computer (WAL, foreign
//! keys on), or a PostgreSQL database shared by the agency. Either way migrations are
//! applied at open, under a lock, so two processes starting together never race; a
//! store from a newer Plumbline is refused, and an older SQLite store is copied aside
//! before it is migrated (`versions`).

mod versions;

pub use versions::BACKUPS_DIR;

use crate::changes::feed::{Feed, Source};
use crate::db::{Db, Engine, Pool, Sql};
use crate::error::Result;
use anyhow::Context;
use sqlx::migrate::Migrator;
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
#[cfg(feature = "postgres")]
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// The file name of the store inside the data directory.
pub const DATABASE_FILE: &str = "plumbline.sqlite3";

/// The folder of attached files inside the data directory.
pub const FILES_DIR: &str = "files";

/// Each engine's schema, the same tables, columns, indexes and constraints (a test
/// compares them).
pub(crate) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
#[cfg(feature = "postgres")]
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Each SQLite connection's own page cache, in KiB (SQLite's default is 2,000). The
/// file's pages stay in the OS's cache, so a miss costs a copy, not a disk read: on the
/// 100,000-order store (`scripts/bench.sh`) a desktop held 11 MB less, its commands no
/// slower (#17).
pub const SQLITE_PAGE_CACHE_KIB: u32 = 512;

/// How long a writer waits for another to finish before giving up. Writes take
/// milliseconds; this covers hundreds queued behind each other.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// Names the store (its file, or its server and database without credentials):
    /// what a remembered session is keyed by.
    name: String,
    files_dir: PathBuf,
    /// Wakes the change feed's subscribers; shared by every clone of the store.
    feed: Arc<Feed>,
}

impl Store {
    /// Opens (creating if needed) the SQLite store in `data_dir` and applies pending
    /// migrations, first copying an existing store to `backups/` in `data_dir`. A store
    /// saved by a newer Plumbline is refused (`ServiceError::NotAllowed`, saying so).
    pub async fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).with_context(|| format!("creating data directory {}", data_dir.display()))?;
        let path = data_dir.join(DATABASE_FILE);
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Another process (a second window, a test) may hold the write lock briefly.
            .busy_timeout(BUSY_TIMEOUT)
            // A negative size is in KiB, not pages.
            .pragma("cache_size", format!("-{SQLITE_PAGE_CACHE_KIB}"));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options)
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        migrate_sqlite(&pool, data_dir, &path).await?;
        Ok(Self {
            pool: Pool::Sqlite(pool),
            name: path.display().to_string(),
            files_dir: data_dir.join(FILES_DIR),
            feed: Arc::new(Feed::new(Source::Directory(data_dir.to_owned()))),
        })
    }

    /// Connects to the agency's PostgreSQL database at `url` and applies pending
    /// migrations (under the advisory lock sqlx takes). Attached files are kept in
    /// `files_dir`. A database saved by a newer Plumbline is refused, as on SQLite; no
    /// copy is taken before migrating, since an agency's database is backed up by its
    /// administrator (`pg_dump`) and by the server's own daily backup.
    #[cfg(feature = "postgres")]
    pub async fn connect(url: &str, files_dir: &Path) -> Result<Self> {
        let options = PgConnectOptions::from_str(url).context("reading the database URL")?;
        let name = format!(
            "postgres://{}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("connecting to {name}"))?;
        let applied = versions::applied_postgres(&pool).await?;
        versions::refuse_newer(&POSTGRES_MIGRATIONS, &applied, &name)?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        let feed = Arc::new(Feed::new(Source::Postgres(Box::new(options))));
        Ok(Self { pool: Pool::Postgres(pool), name, files_dir: files_dir.to_owned(), feed })
    }

    /// The newest migration this build knows: a store (or a backup of one) that has
    /// applied a later one was made by a newer Plumbline.
    pub fn schema_version() -> i64 {
        SQLITE_MIGRATIONS.iter().map(|migration| migration.version).max().unwrap_or_default()
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Closes every connection and returns once none is open, as moving or replacing
    /// the store's files needs: a connection left open to a moved store unlinks the
    /// `-wal` and `-shm` at the old path when it closes, under whatever store is there
    /// then. sqlx's `close` can return with one connection still open and idle (one
    /// handed back while it waited), so it is asked again until none is left.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => close_every_connection(pool).await,
            #[cfg(feature = "postgres")]
            Pool::Postgres(pool) => close_every_connection(pool).await,
        }
    }

    pub fn engine(&self) -> Engine {
        self.pool.engine()
    }

    /// A connection for reads that span several queries.
    pub async fn read(&self) -> Result<Db> {
        self.pool.acquire().await
    }

    /// A write transaction: see [`Pool::begin_write`] for why it cannot fail half-way.
    /// Its commit wakes this process's feed subscribers if it announced a change.
    pub async fn write(&self) -> Result<Db> {
        let mut db = self.pool.begin_write().await?;
        db.wake_after_commit(self.feed.sender());
        Ok(db)
    }

    /// Wakes after any change to the store is committed, by this process or another (on
    /// PostgreSQL through LISTEN/NOTIFY, on SQLite by watching the store's files; see
    /// `changes::feed`). A wake carries nothing and may be spurious: read
    /// `changes::since` from your cursor on each. Subscribe before the first read, so a
    /// change committed in between still wakes. A receiver that falls behind gets
    /// `Lagged`, which means the same.
    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.feed.subscribe()
    }

    /// The store's file, or its server and database (no credentials).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where attached files are kept, each named by its content's SHA-256: `files/`
    /// beside the SQLite file, so a backup of the data directory holds both.
    pub fn files_dir(&self) -> PathBuf {
        self.files_dir.clone()
    }

    pub async fn is_empty(&self) -> Result<bool> {
        let (count,): (i64,) = Sql::new("SELECT count(*) FROM agency").fetch_one(self).await?;
        Ok(count == 0)
    }

    /// The newest migration this store has applied (after opening, [`Self::schema_version`]),
    /// as the About box and the agency server's health check show it.
    pub async fn applied_schema_version(&self) -> Result<i64> {
        let (version,): (i64,) =
            Sql::new("SELECT CAST(coalesce(max(version), 0) AS BIGINT) FROM _sqlx_migrations").fetch_one(self).await?;
        Ok(version)
    }
}

/// sqlx takes no lock for SQLite migrations, so two processes opening a new store
/// together could both apply the first one. An exclusive lock on a file beside the
/// store makes the second wait, then find nothing left to apply (and copy nothing).
async fn migrate_sqlite(pool: &sqlx::SqlitePool, data_dir: &Path, path: &Path) -> Result<()> {
    let lock_path = path.with_extension("sqlite3.migrating");
    let lock_file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("opening {}", lock_path.display()))?;
    let lock_file = tokio::task::spawn_blocking(move || lock_file.lock().map(|()| lock_file))
        .await
        .context("waiting for the migration lock")?
        .with_context(|| format!("locking {}", lock_path.display()))?;
    let migrated = back_up_and_migrate(pool, data_dir, path).await;
    drop(lock_file);
    migrated
}

async fn back_up_and_migrate(pool: &sqlx::SqlitePool, data_dir: &Path, path: &Path) -> Result<()> {
    let applied = versions::applied_sqlite(pool).await?;
    versions::refuse_newer(&SQLITE_MIGRATIONS, &applied, &path.display().to_string())?;
    if let Some(version) = versions::first_pending_on_existing(&SQLITE_MIGRATIONS, &applied) {
        let backup = versions::back_up_before(pool, data_dir, version).await?;
        tracing::info!(backup = %backup.display(), version, "copied the store before migrating it");
    }
    Ok(SQLITE_MIGRATIONS.run(pool).await?)
}

async fn close_every_connection<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) {
    pool.close().await;
    while pool.size() > 0 {
        tokio::task::yield_now().await;
        pool.close().await;
    }
}
