//! Attachments: photos, videos and PDFs an order's parties add to it (before / after
//! photos, the invoice, a quote). Files are copied into the data directory named by
//! their content's SHA-256 (`files.rs`); each attachment is a row naming that content,
//! so the same file attached twice is two rows and one file on disk.

mod files;

use crate::agency::{self, AttachmentLimits};
use crate::db::{Db, Engine, Sql};
use crate::error::{Result, ServiceError};
use crate::history::{self, Event};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::work_orders::access::{party_to_order, push_visible_to};
use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use files::{ContentHash, FILES_FIELD, Staged, Staging};
use plumbline_domain::EventKind;
use plumbline_domain::api::{Attachment, Field};
use plumbline_domain::attachment::size_label;
use plumbline_domain::{Actor, AttachmentId, AttachmentKind, MediaType, Reference, State, UserId, WorkOrderId};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Largest image `image` hands to the webview as a whole (thumbnails and the viewer).
pub const MAX_PREVIEW_BYTES: u64 = 16 * 1024 * 1024;

/// A file to attach: where its content is now, and the name it came with (a chosen
/// path's own name, or the name an upload was sent under). The name is only shown,
/// after `display_name` has cleaned it; nothing is ever written under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenFile {
    pub path: PathBuf,
    pub name: String,
}

impl ChosenFile {
    /// A file chosen on this computer, shown under its own name.
    pub fn at(path: &Path) -> Self {
        let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        Self { path: path.to_owned(), name }
    }
}

/// Copies the chosen files into `files_dir` and attaches them to the order as `kind`,
/// each shown under its own name. See `attach_files`.
pub async fn attach(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    files_dir: &Path,
    order: WorkOrderId,
    kind: AttachmentKind,
    paths: &[PathBuf],
) -> Result<Vec<Attachment>> {
    let files: Vec<ChosenFile> = paths.iter().map(|path| ChosenFile::at(path)).collect();
    attach_files(store, actor, now, files_dir, order, kind, &files).await
}

/// What an order's party may upload to it: the agency's limits. Anyone else gets "not
/// found", before an upload's body is read.
pub async fn upload_limits(store: &Store, actor: Actor, order: WorkOrderId) -> Result<AttachmentLimits> {
    party_to_order(&mut store.read().await?, actor, order).await?;
    Ok(agency::settings(store).await?.attachment_limits)
}

/// Copies the files into `files_dir` and attaches them to the order as `kind`,
/// with one history event ("Added 2 photos (before)"). Any of the order's parties may
/// attach. All files are checked (regular files, type from content, per-file and
/// per-order limits) before anything is stored, and either all are attached or none: a
/// refusal leaves the store and `files_dir` as they were.
pub async fn attach_files(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    files_dir: &Path,
    order: WorkOrderId,
    kind: AttachmentKind,
    files: &[ChosenFile],
) -> Result<Vec<Attachment>> {
    let limits = upload_limits(store, actor, order).await?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    // Both limits from the files' metadata first: what they refuse is never opened.
    let chosen = files.to_vec();
    let measured = blocking(move || files::measure_all(&chosen, limits.per_file)).await?;
    let held = held_bytes(&mut store.read().await?, order).await?;
    check_order_total(order, held, measured.iter().map(|file| file.size).sum(), limits.per_order)?;
    // Read (perhaps from slow or removable media) with no transaction open: on SQLite a
    // write transaction holds the whole store's write lock.
    let staging = files::stage_all(files_dir, measured, limits.per_file).await?;
    let attaching = Attaching { actor, now, order, kind };
    let ids = commit_staged(store, &attaching, files_dir, &staging, limits.per_order).await?;
    let uploader = uploader_name(store, actor.user_id).await?;
    Ok(ids
        .into_iter()
        .zip(&staging.0)
        .map(|(id, staged)| Attachment {
            id,
            kind,
            size_bytes: staged.size as i64,
            file_name: staged.file_name.clone(),
            media_type: staged.media_type,
            uploaded_by: uploader.clone(),
            uploaded_at: now,
        })
        .collect())
}

/// Checks again what may have changed while the files were read, puts the staged files
/// in place and writes the rows and the event, all in one write transaction.
async fn commit_staged(
    store: &Store,
    attaching: &Attaching,
    files_dir: &Path,
    staging: &Staging,
    per_order: u64,
) -> Result<Vec<AttachmentId>> {
    let Attaching { actor, order, .. } = *attaching;
    let mut tx = store.write().await?;
    // The total checked must still be the total when the rows are added.
    tx.lock_order(order.0).await?;
    // The actor may have stopped being a party meanwhile.
    party_to_order(&mut tx, actor, order).await?;
    let state = order_state(&mut tx, order).await?;
    let held = held_bytes(&mut tx, order).await?;
    check_order_total(order, held, staging.0.iter().map(|staged| staged.size).sum(), per_order)?;
    place_and_commit(store, tx, files_dir, staging, async |tx| record(tx, attaching, state, &staging.0).await).await
}

/// Puts the staged files in place under their contents' locks, then runs `write` in `tx`
/// and commits. Should `write` or the commit fail, the files this call placed are removed
/// again, unless something else names their content.
async fn place_and_commit<T>(
    store: &Store,
    mut tx: Db,
    files_dir: &Path,
    staging: &Staging,
    write: impl AsyncFnOnce(&mut Db) -> Result<T>,
) -> Result<T> {
    let placing = files::placing(staging);
    let hashes: Vec<ContentHash> = placing.iter().map(|(_, hash)| hash.clone()).collect();
    lock_content(&mut tx, &hashes).await?;
    let dir = files_dir.to_owned();
    let created = blocking(move || files::place_all(&dir, &placing)).await?;
    let committed = match write(&mut tx).await {
        Ok(answer) => tx.commit().await.map(|()| answer),
        Err(err) => {
            // Ends the transaction (and its locks) before the clean-up takes them again.
            drop(tx);
            Err(err)
        }
    };
    if committed.is_err() {
        remove_unreferenced(store, &created).await;
    }
    committed
}

/// A file checked and placed among the stored files for a record other than an order's
/// attachments (a certificate's file): what that record's row names.
pub(crate) struct KeptFile {
    pub hash: String,
    pub file_name: String,
    pub media_type: MediaType,
    pub size: u64,
}

/// Checks and stores one chosen file as `attach_files` does (a regular file, its type
/// from its content, at most `max_bytes`), then runs `record` in the write transaction
/// that puts it in place. Should `record` or the commit fail, a file this call placed is
/// removed again, unless something else names its content.
pub(crate) async fn keep_one<T>(
    store: &Store,
    files_dir: &Path,
    file: &ChosenFile,
    max_bytes: u64,
    record: impl AsyncFnOnce(&mut Db, &KeptFile) -> Result<T>,
) -> Result<T> {
    let chosen = vec![file.clone()];
    let measured = blocking(move || files::measure_all(&chosen, max_bytes)).await?;
    // Read with no transaction open, as `attach_files` does.
    let staging = files::stage_all(files_dir, measured, max_bytes).await?;
    let Some(staged) = staging.0.first() else { return Err(anyhow!("the chosen file was not staged").into()) };
    let kept = KeptFile {
        hash: staged.hash.as_str().to_owned(),
        file_name: staged.file_name.clone(),
        media_type: staged.media_type,
        size: staged.size,
    };
    let tx = store.write().await?;
    place_and_commit(store, tx, files_dir, &staging, async |tx| record(tx, &kept).await).await
}

/// Removes the stored file of `hash` if nothing names it any more (a certificate's file
/// replaced by another).
pub(crate) async fn forget_if_unnamed(store: &Store, files_dir: &Path, hash: &str) {
    if let Some(hash) = ContentHash::parse(hash) {
        remove_unreferenced(store, &[hash.path_in(files_dir)]).await;
    }
}

/// Where the stored file of `hash` (as a row names it) is.
pub(crate) fn stored_path(files_dir: &Path, hash: &str) -> Result<PathBuf> {
    Ok(ContentHash::parse(hash).ok_or_else(|| anyhow!("stored sha256 '{hash}'"))?.path_in(files_dir))
}

/// A copy of a stored file to open in the OS's own app, in `open_dir/<folder>/` (see
/// `open_path`).
pub(crate) async fn copy_to_open(
    stored: &Path,
    open_dir: &Path,
    folder: String,
    file_name: &str,
    media_type: MediaType,
) -> Result<PathBuf> {
    let (stored, open_dir, file_name) = (stored.to_owned(), open_dir.to_owned(), file_name.to_owned());
    blocking(move || files::copy_to_open(&stored, &open_dir, &folder, &file_name, media_type)).await
}

/// The order's attachments in the order they were added, for whoever may see the order.
pub async fn list(store: &Store, actor: Actor, order: WorkOrderId) -> Result<Vec<Attachment>> {
    let mut db = store.read().await?;
    party_to_order(&mut db, actor, order).await?;
    let rows: Vec<AttachmentRecord> = Sql::new(
        "SELECT a.id, a.kind, a.file_name, a.media_type, a.size_bytes, u.name AS uploaded_by, a.uploaded_at
         FROM attachments a JOIN users u ON u.id = a.uploaded_by
         WHERE a.work_order_id = ? ORDER BY a.id",
    )
    .bind(order.0)
    .fetch_all(&mut db)
    .await?;
    rows.into_iter().map(AttachmentRecord::into_attachment).collect()
}

/// A copy of an attachment its viewer may see, to open in the OS's own app: in
/// `open_dir/<id>/`, named for what its content is (`name_to_open`), never the stored
/// `files/<sha256>`, which has no extension and would leave the OS to guess its type.
pub async fn open_path(
    store: &Store,
    actor: Actor,
    files_dir: &Path,
    open_dir: &Path,
    id: AttachmentId,
) -> Result<PathBuf> {
    let file = stored(store, actor, id).await?;
    let stored = file.hash.path_in(files_dir);
    let open_dir = open_dir.to_owned();
    blocking(move || files::copy_to_open(&stored, &open_dir, &id.0.to_string(), &file.file_name, file.media_type)).await
}

/// An attachment's stored file and what to call it, for a viewer who may see it: what
/// the agency server sends a desktop to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub path: PathBuf,
    pub file_name: String,
    pub media_type: MediaType,
    pub size_bytes: u64,
}

pub async fn content(store: &Store, actor: Actor, files_dir: &Path, id: AttachmentId) -> Result<Content> {
    let file = stored(store, actor, id).await?;
    Ok(Content {
        path: file.hash.path_in(files_dir),
        file_name: file.file_name,
        media_type: file.media_type,
        size_bytes: file.size_bytes,
    })
}

/// An image attachment's bytes, for its thumbnail and the viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
}

/// The content of an image the webview can draw, up to `MAX_PREVIEW_BYTES`; anything
/// else is opened with `open_path` instead.
pub async fn image(store: &Store, actor: Actor, files_dir: &Path, id: AttachmentId) -> Result<Image> {
    let file = stored(store, actor, id).await?;
    if !file.media_type.is_previewable_image() {
        return Err(ServiceError::validation(
            Field::Id,
            format!("{} is not an image Plumbline can show", file.file_name),
        ));
    }
    if file.size_bytes > MAX_PREVIEW_BYTES {
        let message =
            format!("{} is too large to preview ({}); open it instead", file.file_name, size_label(file.size_bytes));
        return Err(ServiceError::validation(Field::Id, message));
    }
    let path = file.hash.path_in(files_dir);
    let bytes = blocking(move || {
        std::fs::read(&path).with_context(|| format!("reading {}", path.display())).map_err(ServiceError::from)
    })
    .await?;
    Ok(Image { media_type: file.media_type, bytes })
}

#[derive(sqlx::FromRow)]
struct OrderState {
    #[sqlx(try_from = "String")]
    state: State,
}

/// The order's state, which the attachments event stays at.
async fn order_state(db: &mut Db, order: WorkOrderId) -> Result<State> {
    let row: OrderState = Sql::new("SELECT state FROM work_orders WHERE id = ?").bind(order.0).fetch_one(db).await?;
    Ok(row.state)
}

/// What the order's attachments hold: every attachment row, deduplicated on disk or not,
/// since the per-order limit bounds what one order holds as its parties see it.
async fn held_bytes(db: &mut Db, order: WorkOrderId) -> Result<u64> {
    let (held,): (i64,) =
        Sql::new("SELECT CAST(coalesce(sum(size_bytes), 0) AS BIGINT) FROM attachments WHERE work_order_id = ?")
            .bind(order.0)
            .fetch_one(db)
            .await?;
    Ok(u64::try_from(held).unwrap_or_default())
}

fn check_order_total(order: WorkOrderId, held: u64, adding: u64, max_bytes: u64) -> Result<()> {
    let total = held + adding;
    if total > max_bytes {
        let message = format!(
            "these files ({}) would bring {}'s attachments to {}; an order may hold at most {}",
            size_label(adding),
            Reference::of(order),
            size_label(total),
            size_label(max_bytes)
        );
        return Err(ServiceError::validation(FILES_FIELD, message));
    }
    Ok(())
}

/// The advisory-lock class of stored contents (PostgreSQL's two-key locks, a key space
/// apart from the change feed's one-key lock): "PLMB" in ASCII.
const CONTENT_LOCK_CLASS: i32 = 0x504C_4D42;

/// Holds the contents' locks until commit: placing a content file and committing the rows
/// that name it, or finding it unreferenced and removing it, never interleave, so no row
/// names a file a failed call removed. SQLite already holds the whole store's write lock
/// (`BEGIN IMMEDIATE`). Taken in hash order, so two calls never wait on each other.
async fn lock_content(db: &mut Db, hashes: &[ContentHash]) -> Result<()> {
    if db.engine() == Engine::Postgres {
        let ordered: BTreeSet<&str> = hashes.iter().map(ContentHash::as_str).collect();
        for hash in ordered {
            Sql::new(format!("SELECT pg_advisory_xact_lock({CONTENT_LOCK_CLASS}, hashtext(?))"))
                .bind(hash)
                .execute(&mut *db)
                .await?;
        }
    }
    Ok(())
}

/// Who attaches what to which order, when.
#[derive(Clone, Copy)]
struct Attaching {
    actor: Actor,
    now: DateTime<Utc>,
    order: WorkOrderId,
    kind: AttachmentKind,
}

/// Writes one row per file and the event, inside the caller's transaction.
async fn record(db: &mut Db, attaching: &Attaching, state: State, candidates: &[Staged]) -> Result<Vec<AttachmentId>> {
    let Attaching { actor, now, order, kind } = *attaching;
    let mut ids = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let (id,): (i64,) = Sql::new(
            "INSERT INTO attachments (work_order_id, sha256, file_name, media_type, size_bytes, kind, uploaded_by, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(order.0)
        .bind(candidate.hash.as_str())
        .bind(&candidate.file_name)
        .bind(candidate.media_type.mime())
        .bind(candidate.size as i64)
        .bind(kind.as_str())
        .bind(actor.user_id.0)
        .bind(to_secs(now))
        .fetch_one(&mut *db)
        .await?;
        ids.push(AttachmentId(id));
    }
    let note = format!("Added {} ({})", describe(candidates), kind.as_str());
    let event = Event {
        order,
        at: now,
        actor: Some(actor.user_id),
        kind: EventKind::Attachments,
        // Attaching changes no state; the event stays where the order is.
        from: Some(state),
        to: Some(state),
        note: &note,
    };
    history::record(db, &event).await?;
    Ok(ids)
}

/// "2 photos", "a PDF", "3 photos and a video".
fn describe(candidates: &[Staged]) -> String {
    let count = |wanted: fn(MediaType) -> bool| candidates.iter().filter(|c| wanted(c.media_type)).count();
    let photos = count(MediaType::is_photo);
    let pdfs = count(|media| media == MediaType::Pdf);
    let videos = candidates.len() - photos - pdfs;
    let parts: Vec<String> = [(photos, "a photo", "photos"), (videos, "a video", "videos"), (pdfs, "a PDF", "PDFs")]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| if n == 1 { one.to_owned() } else { format!("{n} {many}") })
        .collect();
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "nothing".to_owned(),
    }
}

/// Removes files a failed attach created, unless a row names the same content: one
/// committed meanwhile, or one of a call that found the file in place (which holds the
/// content's lock until it commits, so is waited for here).
async fn remove_unreferenced(store: &Store, created: &[PathBuf]) {
    if created.is_empty() {
        return;
    }
    if let Err(err) = try_remove_unreferenced(store, created).await {
        tracing::warn!("keeping the files of a failed attach: {err}");
    }
}

async fn try_remove_unreferenced(store: &Store, created: &[PathBuf]) -> Result<()> {
    let hashes: Vec<(ContentHash, &PathBuf)> = created
        .iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy();
            Some((ContentHash::parse(&name)?, path))
        })
        .collect();
    let mut tx = store.write().await?;
    lock_content(&mut tx, &hashes.iter().map(|(hash, _)| hash.clone()).collect::<Vec<_>>()).await?;
    let mut unreferenced = Vec::new();
    for (hash, path) in hashes {
        let (held,): (i64,) = Sql::new(
            "SELECT (SELECT count(*) FROM attachments WHERE sha256 = ?)
                  + (SELECT count(*) FROM certificates WHERE file_sha256 = ?)",
        )
        .bind(hash.as_str())
        .bind(hash.as_str())
        .fetch_one(&mut tx)
        .await?;
        if held == 0 {
            unreferenced.push(path.clone());
        }
    }
    // Removed while the locks are held: nothing can find these in place meanwhile.
    files::remove(&unreferenced);
    // Nothing was written; committing ends the locks.
    tx.commit().await
}

async fn uploader_name(store: &Store, user: UserId) -> Result<String> {
    let (name,): (String,) = Sql::new("SELECT name FROM users WHERE id = ?").bind(user.0).fetch_one(store).await?;
    Ok(name)
}

/// An attachment's stored file, if its viewer may see the order it belongs to.
struct StoredFile {
    file_name: String,
    media_type: MediaType,
    size_bytes: u64,
    hash: ContentHash,
}

async fn stored(store: &Store, actor: Actor, id: AttachmentId) -> Result<StoredFile> {
    let mut query = Sql::new(
        "SELECT a.file_name, a.media_type, a.size_bytes, a.sha256
         FROM attachments a JOIN work_orders w ON w.id = a.work_order_id WHERE a.id = ",
    );
    query.push_bind(id.0).push(" AND ");
    push_visible_to(&mut query, actor);
    let (file_name, media_type, size_bytes, sha256): (String, String, i64, String) =
        query.fetch_optional(store).await?.ok_or_else(|| ServiceError::not_found("The attachment"))?;
    Ok(StoredFile {
        media_type: MediaType::parse(&media_type).ok_or_else(|| anyhow!("stored media type '{media_type}'"))?,
        size_bytes: u64::try_from(size_bytes).context("stored size")?,
        hash: ContentHash::parse(&sha256).ok_or_else(|| anyhow!("stored sha256 '{sha256}'"))?,
        file_name,
    })
}

#[derive(sqlx::FromRow)]
struct AttachmentRecord {
    id: i64,
    #[sqlx(try_from = "String")]
    kind: AttachmentKind,
    file_name: String,
    media_type: String,
    size_bytes: i64,
    uploaded_by: String,
    uploaded_at: i64,
}

impl AttachmentRecord {
    fn into_attachment(self) -> Result<Attachment> {
        Ok(Attachment {
            id: AttachmentId(self.id),
            kind: self.kind,
            media_type: MediaType::parse(&self.media_type)
                .ok_or_else(|| anyhow!("stored media type '{}'", self.media_type))?,
            file_name: self.file_name,
            size_bytes: self.size_bytes,
            uploaded_by: self.uploaded_by,
            uploaded_at: from_secs(self.uploaded_at),
        })
    }
}

/// Runs file IO off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|err| anyhow!("file task stopped: {err}"))?
}
