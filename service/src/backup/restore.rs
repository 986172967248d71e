//! Restoring: unpack into a new directory and check everything there. Any refusal
//! removes that directory, so nothing half-restored is ever left to switch to.

use super::archive::{self, Unpacked, is_sha256_hex};
#[cfg(feature = "postgres")]
use super::transfer;
use super::{
    FILES_PREFIX, FORMAT, FORMAT_VERSION, Manifest, SQLITE_ENGINE, STORE_ENTRY, applied_schema_version, blocking,
    refuse, require_admin,
};
use crate::accounts;
#[cfg(feature = "postgres")]
use crate::db::Pool;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use anyhow::Context;
use plumbline_domain::Actor;
use plumbline_domain::api::RestorePreview;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// A backup unpacked and checked in a directory of its own, migrated to this app's
/// schema: a store ready to be switched to.
#[derive(Debug, Clone)]
pub struct RestoredStore {
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// The archive's name and size, for the preview.
    pub file_name: String,
    pub size_bytes: u64,
}

impl RestoredStore {
    pub fn preview(&self) -> RestorePreview {
        RestorePreview {
            file_name: self.file_name.clone(),
            agency: self.manifest.agency.clone(),
            taken_at: self.manifest.created_at,
            app_version: self.manifest.app_version.clone(),
            counts: self.manifest.counts,
            size_bytes: self.size_bytes,
        }
    }
}

/// Unpacks `archive` into `into` (which must not exist yet) and checks it: every entry
/// against the manifest's size and SHA-256, the store's integrity, a schema this app
/// knows, and a file for every attachment. On any refusal `into` is removed again and
/// the message names what failed. See [`may_restore`] for who may.
pub async fn restore(store: &Store, actor: Option<Actor>, archive: &Path, into: &Path) -> Result<RestoredStore> {
    may_restore(store, actor).await?;
    fs::create_dir(into).with_context(|| format!("creating {}", into.display()))?;
    let restored = unpack_and_check(archive, into).await;
    if restored.is_err()
        && let Err(err) = fs::remove_dir_all(into)
    {
        tracing::warn!("could not remove the refused backup's folder {}: {err}", into.display());
    }
    restored
}

/// Whether `actor` (`None`: no one is signed in) may restore a backup in place of
/// `store`: an admin may; so may anyone while the store has not been set up (a new
/// computer has no admin yet, and nothing to lose).
pub async fn may_restore(store: &Store, actor: Option<Actor>) -> Result<()> {
    match actor {
        Some(actor) => require_admin(actor),
        None if accounts::setup_needed(store).await? => Ok(()),
        None => Err(ServiceError::NotAllowed("sign in as an agency admin to restore a backup".into())),
    }
}

/// Restores `archive` onto an agency server's PostgreSQL store, which must hold no agency
/// yet (restoring never overwrites one): the archive is unpacked into `work_dir` (which
/// must not exist; removed afterwards) and checked exactly as on a desktop, its attached
/// files are copied into the store's files folder, then every row is copied in one
/// transaction. Archives from either engine restore here, as they do on a desktop.
#[cfg(feature = "postgres")]
pub async fn restore_onto_postgres(store: &Store, archive: &Path, work_dir: &Path) -> Result<Manifest> {
    let Pool::Postgres(pool) = store.pool() else {
        return Err(ServiceError::NotAllowed("this restores onto an agency server's PostgreSQL database".into()));
    };
    if !store.is_empty().await? {
        return Err(already_an_agency());
    }
    fs::create_dir(work_dir).with_context(|| format!("creating {}", work_dir.display()))?;
    let restored = copy_onto(pool, &store.files_dir(), archive, work_dir).await;
    if let Err(err) = fs::remove_dir_all(work_dir) {
        tracing::warn!("could not remove the unpacked backup {}: {err}", work_dir.display());
    }
    restored
}

#[cfg(feature = "postgres")]
fn already_an_agency() -> ServiceError {
    ServiceError::NotAllowed(
        "the database already holds an agency: restore into a new, empty database, then point the server at it".into(),
    )
}

#[cfg(feature = "postgres")]
async fn copy_onto(pool: &sqlx::PgPool, files_dir: &Path, archive: &Path, work_dir: &Path) -> Result<Manifest> {
    let unpacked = unpack_and_check(archive, work_dir).await?;
    copy_files(&unpacked.manifest, &work_dir.join(crate::store::FILES_DIR), files_dir)?;
    let mut copy = SqliteConnectOptions::new()
        .filename(work_dir.join(STORE_ENTRY))
        .read_only(true)
        .connect()
        .await
        .context("opening the backup's store")?;
    let mut pg = pool.begin().await?;
    // Holds off a set-up racing this restore; checked again now that it is held.
    sqlx::query("LOCK TABLE agency IN EXCLUSIVE MODE").execute(&mut *pg).await?;
    let (agencies,): (i64,) = sqlx::query_as("SELECT count(*) FROM agency").fetch_one(&mut *pg).await?;
    if agencies > 0 {
        return Err(already_an_agency());
    }
    let tables = transfer::tables(&mut copy, &mut pg).await?;
    transfer::sqlite_to_postgres(&tables, &mut copy, &mut pg).await?;
    pg.commit().await?;
    copy.close().await.context("closing the backup's store")?;
    Ok(unpacked.manifest)
}

/// Attached files are named by their content, so one already there is the same file.
#[cfg(feature = "postgres")]
fn copy_files(manifest: &Manifest, from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for hash in manifest.entries.iter().filter_map(|entry| entry.path.strip_prefix(FILES_PREFIX)) {
        let target = to.join(hash);
        if !target.exists() {
            // Through a temporary name, so a copy cut short never passes for the file.
            let partial = to.join(format!("{hash}.partial"));
            fs::copy(from.join(hash), &partial).with_context(|| format!("copying {hash} to {}", to.display()))?;
            fs::rename(&partial, &target).with_context(|| format!("moving {hash} into {}", to.display()))?;
        }
    }
    Ok(())
}

async fn unpack_and_check(archive: &Path, into: &Path) -> Result<RestoredStore> {
    let size_bytes = fs::metadata(archive).map_err(|err| refuse(format!("the backup could not be read: {err}")))?.len();
    let (from, to) = (archive.to_owned(), into.to_owned());
    let unpacked = blocking(move || archive::unpack(&from, &to)).await?;
    let manifest = check_entries(unpacked)?;
    check_store(&into.join(STORE_ENTRY), &manifest).await?;
    // An older backup is brought up to this app's schema now, before anyone relies on it.
    Store::open(into).await?.close().await;
    let file_name = archive.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(RestoredStore { dir: into.to_owned(), manifest, file_name, size_bytes })
}

/// The manifest, once it is one this app reads and every entry matches it exactly.
fn check_entries(unpacked: Unpacked) -> Result<Manifest> {
    let Unpacked { manifest, mut found } = unpacked;
    let manifest =
        manifest.ok_or_else(|| refuse("the backup has no manifest: it is incomplete or not a Plumbline backup"))?;
    if manifest.format != FORMAT {
        return Err(refuse("the file is not a Plumbline backup"));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(refuse("the backup was made by a newer version of Plumbline: update Plumbline, then restore it"));
    }
    if manifest.engine != SQLITE_ENGINE {
        return Err(refuse(format!(
            "the backup holds a {} store, which this computer cannot use: restore it on the agency server",
            manifest.engine
        )));
    }
    check_schema_version(manifest.schema_version)?;
    for listed in &manifest.entries {
        let Some(entry) = found.remove(&listed.path) else {
            return Err(refuse(format!("the backup is incomplete: {} is missing from it", listed.path)));
        };
        if entry.size != listed.size || entry.sha256 != listed.sha256 {
            return Err(refuse(format!(
                "the backup is damaged: {} does not match its checksum (SHA-256 {}, {} bytes; the manifest says {}, {} bytes)",
                listed.path, entry.sha256, entry.size, listed.sha256, listed.size
            )));
        }
        if let Some(hash) = listed.path.strip_prefix(FILES_PREFIX)
            && hash != listed.sha256
        {
            return Err(refuse(format!("the backup is damaged: {} is not the file its name says", listed.path)));
        }
    }
    if let Some(extra) = found.keys().next() {
        return Err(refuse(format!("the backup holds {extra}, which its manifest does not list")));
    }
    if !manifest.entries.iter().any(|entry| entry.path == STORE_ENTRY) {
        return Err(refuse("the backup holds no copy of the store"));
    }
    Ok(manifest)
}

fn check_schema_version(version: i64) -> Result<()> {
    let known = Store::schema_version();
    if version > known {
        return Err(refuse(format!(
            "the backup was made by a newer version of Plumbline (schema {version}; this one knows up to {known}): \
             update Plumbline, then restore it"
        )));
    }
    Ok(())
}

/// The unpacked store passes SQLite's integrity check, has applied no migration this app
/// does not know, and every attachment it lists has its file (already checked against
/// its hash by the manifest).
async fn check_store(path: &Path, manifest: &Manifest) -> Result<()> {
    let mut conn =
        SqliteConnectOptions::new().filename(path).journal_mode(SqliteJournalMode::Delete).connect().await.map_err(
            |err| match corruption(&err) {
                // Opening reads the schema: damage there shows before the check can run.
                Some(why) => refuse(format!("the backup's store fails SQLite's integrity check: {why}")),
                None => refuse(format!("the backup's store cannot be opened: {err}")),
            },
        )?;
    let checked = check_store_on(&mut conn, manifest).await;
    conn.close().await.context("closing the backup's store")?;
    checked
}

/// SQLite's own words, if `err` says the file is damaged or not a database at all
/// (SQLITE_CORRUPT, SQLITE_NOTADB).
fn corruption(err: &sqlx::Error) -> Option<String> {
    let db = err.as_database_error()?;
    matches!(db.code().as_deref(), Some("11" | "26")).then(|| db.message().to_owned())
}

async fn check_store_on(conn: &mut SqliteConnection, manifest: &Manifest) -> Result<()> {
    let problems: Vec<(String,)> =
        sqlx::query_as("PRAGMA integrity_check").fetch_all(&mut *conn).await.map_err(|err| {
            let why = err.as_database_error().map_or_else(|| err.to_string(), |db| db.message().to_owned());
            refuse(format!("the backup's store fails SQLite's integrity check: {why}"))
        })?;
    if problems.iter().map(|(line,)| line.as_str()).ne(["ok"]) {
        let first = problems.first().map(|(line,)| line.as_str()).unwrap_or("no answer");
        return Err(refuse(format!("the backup's store fails SQLite's integrity check: {first}")));
    }
    let applied = applied_schema_version(conn).await.map_err(|_| refuse("the backup's store has no schema version"))?;
    check_schema_version(applied)?;
    let hashes: Vec<(String,)> = sqlx::query_as(super::stored_files(applied)).fetch_all(&mut *conn).await?;
    let archived: BTreeSet<&str> = manifest.entries.iter().map(|entry| entry.path.as_str()).collect();
    for (hash,) in hashes {
        let path = format!("{FILES_PREFIX}{hash}");
        if !is_sha256_hex(&hash) || !archived.contains(path.as_str()) {
            return Err(refuse(format!("the backup is incomplete: the attached file {path} is missing from it")));
        }
    }
    Ok(())
}
