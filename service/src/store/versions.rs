//! Opening a store made by another version of Plumbline. A newer one is refused: its
//! schema has changes this build does not know, and writing to it could undo them. An
//! older one on this computer is copied aside before its pending migrations run, so a
//! migration that goes wrong never costs the agency its data.

use crate::error::{Result, ServiceError};
use anyhow::Context;
use sqlx::migrate::Migrator;
use std::path::{Path, PathBuf};

/// The folder in the data directory where copies taken before a migration are kept.
pub const BACKUPS_DIR: &str = "backups";

/// The migrations a SQLite store has applied (none for a new store).
pub(super) async fn applied_sqlite(pool: &sqlx::SqlitePool) -> Result<Vec<i64>> {
    let (tables,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_one(pool)
            .await
            .context("reading the store's version")?;
    if tables == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations")
        .fetch_all(pool)
        .await
        .context("reading the store's version")?;
    Ok(rows.into_iter().map(|(version,)| version).collect())
}

/// The migrations a PostgreSQL store has applied (none for a new database).
#[cfg(feature = "postgres")]
pub(super) async fn applied_postgres(pool: &sqlx::PgPool) -> Result<Vec<i64>> {
    let (exists,): (bool,) = sqlx::query_as("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await
        .context("reading the store's version")?;
    if !exists {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations")
        .fetch_all(pool)
        .await
        .context("reading the store's version")?;
    Ok(rows.into_iter().map(|(version,)| version).collect())
}

/// Refuses a store that has applied a migration `migrator` does not know: it was made
/// (or last opened) by a newer Plumbline. Said in words a person can act on, since the
/// desktop shows it in a dialog and the server prints it.
pub(super) fn refuse_newer(migrator: &Migrator, applied: &[i64], store: &str) -> Result<()> {
    let unknown = applied.iter().copied().filter(|version| !migrator.version_exists(*version)).max();
    match unknown {
        None => Ok(()),
        Some(unknown) => {
            let known = migrator.iter().map(|migration| migration.version).max().unwrap_or_default();
            Err(ServiceError::NotAllowed(format!(
                "The Plumbline data at {store} was saved by a newer version of Plumbline (it has change \
                 {unknown}; this version knows changes up to {known}). Install the newer version to open it. \
                 Nothing has been changed."
            )))
        }
    }
}

/// The first migration `migrator` would apply to a store that has `applied` these, if
/// the store already has a schema: a new store has nothing to lose.
pub(super) fn first_pending_on_existing(migrator: &Migrator, applied: &[i64]) -> Option<i64> {
    if applied.is_empty() {
        return None;
    }
    migrator.iter().map(|migration| migration.version).filter(|version| !applied.contains(version)).min()
}

/// Copies the SQLite store to `backups/before-migration-<version>-<UTC time>.sqlite3` in
/// `data_dir` with `VACUUM INTO` (one read transaction: a consistent copy even of a live
/// WAL store) and returns where. Called under the migration lock, so only the process
/// that migrates copies.
pub(super) async fn back_up_before(pool: &sqlx::SqlitePool, data_dir: &Path, version: i64) -> Result<PathBuf> {
    let folder = data_dir.join(BACKUPS_DIR);
    std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    // The file's time comes from SQLite's clock: the store is opened before any use case
    // runs, with no `now` to pass in, and the name only has to sort and be read by people.
    let (stamp,): (String,) = sqlx::query_as("SELECT strftime('%Y%m%dT%H%M%SZ', 'now')")
        .fetch_one(pool)
        .await
        .context("reading the time for the backup's name")?;
    let path = folder.join(format!("before-migration-{version:04}-{stamp}.sqlite3"));
    let name = path.to_str().with_context(|| format!("{} is not valid Unicode", path.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(name)
        .execute(pool)
        .await
        .with_context(|| format!("copying the store to {} before migrating it", path.display()))?;
    Ok(path)
}
