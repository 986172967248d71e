//! Backup and restore of a store on this computer: one archive (a tar file) holding a
//! consistent copy of the SQLite store, every attached file, and a manifest naming each
//! entry with its size and SHA-256.
//!
//! The copy is made with `VACUUM INTO`, which reads the store inside one read
//! transaction: it holds every write committed before it began and nothing half-made,
//! whatever other processes write meanwhile (a raw copy of a live WAL store is not
//! safe). Attached files are named by their content and never rewritten, and an
//! attachment's row is committed only once its file is in place, so every file the
//! copy's rows name is there to archive.
//!
//! Restoring unpacks into a new directory and checks everything there (checksums,
//! `PRAGMA integrity_check`, the schema version, every attachment's file) before the
//! caller may switch to it; the store in use is never touched here.
//!
//! An agency server's PostgreSQL store goes into the same archive: its rows are copied
//! from one consistent read into a new SQLite file of the same schema (`transfer`), so
//! one format serves both engines, and [`restore_onto_postgres`] copies an archive back
//! onto a new agency database (`plumbline-server --restore-from`). `pg_dump` remains the
//! database administrator's tool (README, "Backing up an agency server").

mod archive;
mod restore;
mod schedule;
#[cfg(feature = "postgres")]
mod transfer;

#[cfg(feature = "postgres")]
pub use restore::restore_onto_postgres;
pub use restore::{RestoredStore, may_restore, restore};
pub use schedule::{run_scheduled, schedule, set_by_operator, set_kept, status, stop};

use crate::db::Pool;
use crate::error::{Result, ServiceError};
use crate::store::{DATABASE_FILE, Store};
use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{BackupCounts, BackupSummary, Field};
use plumbline_domain::{Actor, Role};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::fs;
use std::path::{Path, PathBuf};

/// What the manifest calls this kind of archive, and the version of its layout.
pub const FORMAT: &str = "plumbline-backup";
pub const FORMAT_VERSION: u32 = 1;
const SQLITE_ENGINE: &str = "sqlite";

/// The extension the dialogs offer and scheduled backups are written with.
pub const EXTENSION: &str = "plumbline-backup";

/// The entries of an archive: the store copy, `files/<sha256>` each, and the manifest.
const MANIFEST: &str = "manifest.json";
const STORE_ENTRY: &str = DATABASE_FILE;
const FILES_PREFIX: &str = "files/";

/// What an archive holds, written last into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The engine of the store copy inside: always "sqlite" (an agency server's
    /// PostgreSQL rows are copied into one), so a reader knows what it holds.
    pub engine: String,
    /// The newest migration the store had applied (`Store::schema_version` of the app
    /// that wrote it, or older).
    pub schema_version: i64,
    pub created_at: DateTime<Utc>,
    pub agency: String,
    pub app_version: String,
    pub counts: BackupCounts,
    /// Every other entry of the archive, in the order written.
    pub entries: Vec<Entry>,
}

/// One entry of the archive: its path inside it, its size, its content's SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// An archive written whole at `path`.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub size_bytes: u64,
    pub manifest: Manifest,
}

impl Written {
    pub fn summary(&self) -> BackupSummary {
        let name = |path: Option<&std::ffi::OsStr>| path.map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        BackupSummary {
            file_name: name(self.path.file_name()),
            folder: self.path.parent().map(|dir| dir.display().to_string()).unwrap_or_default(),
            taken_at: self.manifest.created_at,
            size_bytes: self.size_bytes,
            counts: self.manifest.counts,
        }
    }
}

pub fn require_admin(actor: Actor) -> Result<()> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Staff | Role::Landlord | Role::Contractor | Role::Tenant => {
            Err(ServiceError::NotAllowed("only an agency admin can back up or restore the agency's data".into()))
        }
    }
}

/// A refusal of the archive, naming what is wrong with it.
fn refuse(message: impl Into<String>) -> ServiceError {
    ServiceError::validation(Field::Archive, message)
}

/// Writes one archive of the store to `dest` (replacing a file there only once the new
/// one is complete) and notes it as the last backup. Only an admin may.
pub async fn back_up(store: &Store, actor: Actor, dest: &Path, now: DateTime<Utc>) -> Result<Written> {
    require_admin(actor)?;
    let written = write(store, dest, now).await?;
    // The archive is whole either way: a settings file that cannot be written is only
    // the Backup page's "last backup" out of date.
    if let Err(err) = schedule::note_backup(store, &written) {
        tracing::warn!("could not note the backup: {err:?}");
    }
    Ok(written)
}

/// Writes one archive for an agency server's operator (`plumbline-server --back-up-to`),
/// who signs in to nothing: access to the server's database is their authority.
pub async fn write_by_operator(store: &Store, dest: &Path, now: DateTime<Utc>) -> Result<Written> {
    write(store, dest, now).await
}

/// Writes the archive through a `.partial` file renamed into place, so a half-written
/// archive never carries the name of a complete one.
async fn write(store: &Store, dest: &Path, now: DateTime<Utc>) -> Result<Written> {
    // The process id keeps two desktops on one store from sharing a temporary name.
    let partial = with_suffix(dest, &format!(".{}.partial", std::process::id()));
    let snapshot = with_suffix(dest, &format!(".{}.store-copy", std::process::id()));
    let written = write_through(store.pool(), &store.files_dir(), dest, &partial, &snapshot, now).await;
    remove_if_there(&snapshot);
    if written.is_err() {
        remove_if_there(&partial);
    }
    written
}

async fn write_through(
    pool: &Pool,
    files_dir: &Path,
    dest: &Path,
    partial: &Path,
    snapshot: &Path,
    now: DateTime<Utc>,
) -> Result<Written> {
    remove_if_there(snapshot);
    match pool {
        Pool::Sqlite(pool) => copy_sqlite(pool, snapshot).await?,
        #[cfg(feature = "postgres")]
        Pool::Postgres(pool) => copy_postgres(pool, snapshot).await?,
    }
    let facts = SnapshotFacts::read(snapshot).await?;
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        engine: SQLITE_ENGINE.into(),
        schema_version: facts.schema_version,
        created_at: now,
        agency: facts.agency,
        app_version: env!("CARGO_PKG_VERSION").into(),
        counts: facts.counts,
        entries: Vec::new(),
    };
    let sources =
        archive::Sources { snapshot: snapshot.to_owned(), files_dir: files_dir.to_owned(), hashes: facts.hashes };
    let (partial_owned, at) = (partial.to_owned(), now);
    let manifest = blocking(move || archive::write(&partial_owned, &sources, manifest, at)).await?;
    fs::rename(partial, dest).with_context(|| format!("moving the finished backup to {}", dest.display()))?;
    let size_bytes = fs::metadata(dest).with_context(|| format!("reading {}", dest.display()))?.len();
    Ok(Written { path: dest.to_owned(), size_bytes, manifest })
}

/// A consistent copy of a SQLite store in one new file: `VACUUM INTO` reads inside one
/// read transaction.
async fn copy_sqlite(pool: &sqlx::SqlitePool, snapshot: &Path) -> Result<()> {
    let snapshot_name = snapshot.to_str().ok_or_else(|| refuse("a backup folder's name must be valid Unicode"))?;
    sqlx::query("VACUUM INTO ?")
        .bind(snapshot_name)
        .execute(pool)
        .await
        .with_context(|| format!("copying the store to {}", snapshot.display()))?;
    Ok(())
}

/// A consistent copy of a PostgreSQL store in the archive's format: a new SQLite file
/// migrated to the same schema, filled row for row from one read-only REPEATABLE READ
/// transaction (one snapshot of the database, whatever commits meanwhile).
#[cfg(feature = "postgres")]
async fn copy_postgres(pool: &sqlx::PgPool, snapshot: &Path) -> Result<()> {
    let mut copy = new_sqlite_file(snapshot).await?;
    let mut pg = pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let (version,): (i64,) = sqlx::query_as("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut *pg)
        .await?;
    if version != Store::schema_version() {
        return Err(ServiceError::NotAllowed(format!(
            "the agency's database is at schema {version} and this Plumbline at {}: back it up with the \
             Plumbline version that runs the agency server",
            Store::schema_version()
        )));
    }
    let tables = transfer::tables(&mut copy, &mut pg).await?;
    let mut write = copy.begin().await?;
    transfer::postgres_to_sqlite(&tables, &mut pg, &mut write).await?;
    write.commit().await?;
    pg.rollback().await?;
    copy.close().await.context("closing the store copy")?;
    Ok(())
}

/// A new SQLite store file at `path` with this app's schema and nothing else.
#[cfg(feature = "postgres")]
pub(crate) async fn new_sqlite_file(path: &Path) -> Result<SqliteConnection> {
    let options =
        SqliteConnectOptions::new().filename(path).create_if_missing(true).journal_mode(SqliteJournalMode::Delete);
    // Migrated through a one-connection pool: `Migrator::run` on a bare connection makes
    // a future the compiler cannot prove `Send` for every lifetime (so not spawnable).
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("creating {}", path.display()))?;
    crate::store::SQLITE_MIGRATIONS.run(&pool).await?;
    let conn = pool.acquire().await?.detach();
    pool.close().await;
    Ok(conn)
}

/// What the manifest says of the store, read from the copy itself (so it describes
/// exactly what was archived), and the attached files its rows name.
struct SnapshotFacts {
    agency: String,
    schema_version: i64,
    counts: BackupCounts,
    hashes: Vec<String>,
}

impl SnapshotFacts {
    async fn read(snapshot: &Path) -> Result<Self> {
        // The copy becomes one self-contained file (no write-ahead log beside it).
        let mut conn = SqliteConnectOptions::new()
            .filename(snapshot)
            .journal_mode(SqliteJournalMode::Delete)
            .connect()
            .await
            .with_context(|| format!("opening the store copy {}", snapshot.display()))?;
        let facts = Self::read_from(&mut conn).await;
        conn.close().await.context("closing the store copy")?;
        facts
    }

    async fn read_from(conn: &mut SqliteConnection) -> Result<Self> {
        let agency: Option<(String,)> =
            sqlx::query_as("SELECT name FROM agency WHERE id = 1").fetch_optional(&mut *conn).await?;
        let count = |table: &str| format!("SELECT count(*) FROM {table}");
        let (work_orders,): (i64,) = sqlx::query_as(&count("work_orders")).fetch_one(&mut *conn).await?;
        let (users,): (i64,) = sqlx::query_as(&count("users")).fetch_one(&mut *conn).await?;
        let (attachments,): (i64,) = sqlx::query_as(&count("attachments")).fetch_one(&mut *conn).await?;
        let schema_version = applied_schema_version(conn).await?;
        let hashes: Vec<(String,)> =
            sqlx::query_as(&format!("{} ORDER BY 1", stored_files(schema_version))).fetch_all(&mut *conn).await?;
        Ok(Self {
            agency: agency.map(|(name,)| name).unwrap_or_default(),
            schema_version,
            counts: BackupCounts {
                work_orders: u64::try_from(work_orders).unwrap_or(0),
                users: u64::try_from(users).unwrap_or(0),
                attachments: u64::try_from(attachments).unwrap_or(0),
            },
            hashes: hashes.into_iter().map(|(hash,)| hash).collect(),
        })
    }
}

/// The first schema whose certificates name a stored file (migration 0034).
const CERTIFICATE_FILES_SCHEMA: i64 = 34;

/// The content hash of every stored file a store of `schema_version` names: its
/// attachments' and, from `CERTIFICATE_FILES_SCHEMA`, its certificates' files. An archive
/// must carry each.
fn stored_files(schema_version: i64) -> &'static str {
    if schema_version >= CERTIFICATE_FILES_SCHEMA {
        "SELECT sha256 FROM attachments UNION SELECT file_sha256 FROM certificates WHERE file_sha256 IS NOT NULL"
    } else {
        "SELECT DISTINCT sha256 FROM attachments"
    }
}

/// The newest migration a SQLite store has applied.
async fn applied_schema_version(conn: &mut SqliteConnection) -> Result<i64> {
    let (version,): (i64,) =
        sqlx::query_as("SELECT CAST(coalesce(max(version), 0) AS INTEGER) FROM _sqlx_migrations WHERE success")
            .fetch_one(conn)
            .await?;
    Ok(version)
}

/// `path` with `suffix` appended to its file name (`x.plumbline-backup.partial`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|name| name.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes a temporary file of ours; one already gone is fine.
fn remove_if_there(path: &Path) {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => tracing::warn!("could not remove {}: {err}", path.display()),
    }
}

/// File work off the async threads: archives can be large, and the folder slow.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|err| anyhow!("backup task stopped: {err}"))?
}
