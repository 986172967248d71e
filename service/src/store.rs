//! The embedded store: one SQLite file, WAL, foreign keys on, migrations at open.

use crate::error::Result;
use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file name of the store inside the data directory.
pub const DATABASE_FILE: &str = "plumbline.sqlite3";

/// The folder of attached files inside the data directory.
pub const FILES_DIR: &str = "files";

#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` and applies pending migrations.
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
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool, path })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where attached files are kept, each named by its content's SHA-256: `files/`
    /// beside the store, so a backup of the data directory holds both.
    pub fn files_dir(&self) -> PathBuf {
        self.path.parent().unwrap_or(Path::new(".")).join(FILES_DIR)
    }

    pub async fn is_empty(&self) -> Result<bool> {
        let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM agency").fetch_one(&self.pool).await?;
        Ok(count == 0)
    }
}
