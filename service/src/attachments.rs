//! Attachments: photos, videos and PDFs an order's parties add to it (before / after
//! photos, the invoice, a quote). Files are copied into the data directory named by
//! their content's SHA-256 (`files.rs`); each attachment is a row naming that content,
//! so the same file attached twice is two rows and one file on disk.

mod files;

use crate::agency::{self, AttachmentLimits};
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::history::{self, Event};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::work_orders::access::{party_to_order, push_visible_to};
use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use files::{Candidate, ContentHash, FILES_FIELD};
use plumbline_domain::EventKind;
use plumbline_domain::api::{Attachment, Field};
use plumbline_domain::attachment::size_label;
use plumbline_domain::{Actor, AttachmentId, AttachmentKind, MediaType, Reference, State, UserId, WorkOrderId};
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
/// attach. All files are checked (readable, type from content, per-file and per-order
/// limits) before anything is stored, and either all are attached or none: a refusal
/// leaves the store and `files_dir` as they were.
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
    // The chosen files (perhaps on slow or removable media) are read before the write
    // transaction, which on SQLite holds the whole store's write lock.
    let chosen = files.to_vec();
    let candidates = blocking(move || files::read_all(&chosen, limits.per_file)).await?;

    let mut tx = store.write().await?;
    // The total checked must still be the total when the rows are added.
    tx.lock_order(order.0).await?;
    // Checked again in the transaction: the actor may have stopped being a party meanwhile.
    party_to_order(&mut tx, actor, order).await?;
    let state = order_state(&mut tx, order).await?;
    check_order_total(&mut tx, order, &candidates, limits.per_order).await?;

    let (candidates, created) = store_files(files_dir, candidates).await?;
    let written = record(&mut tx, actor, now, order, state, kind, &candidates).await;
    let committed = match written {
        Ok(ids) => tx.commit().await.map(|()| ids),
        Err(err) => Err(err),
    };
    if committed.is_err() {
        remove_unreferenced(store, &created).await;
    }
    let ids = committed?;
    // A failed attach of the same content elsewhere (another desktop, another server
    // process) may have removed a file this one found in place: put back what is missing.
    let (candidates, _) = store_files(files_dir, candidates).await?;
    let uploader = uploader_name(store, actor.user_id).await?;
    Ok(ids
        .into_iter()
        .zip(candidates)
        .map(|(id, candidate)| Attachment {
            id,
            kind,
            size_bytes: candidate.size() as i64,
            file_name: candidate.file_name,
            media_type: candidate.media_type,
            uploaded_by: uploader.clone(),
            uploaded_at: now,
        })
        .collect())
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

/// The stored file of an attachment its viewer may see, to open in the OS's own app.
pub async fn open_path(store: &Store, actor: Actor, files_dir: &Path, id: AttachmentId) -> Result<PathBuf> {
    Ok(content(store, actor, files_dir, id).await?.path)
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

/// The per-order limit counts every attachment row, deduplicated on disk or not: it
/// bounds what one order holds, as its parties see it.
async fn check_order_total(db: &mut Db, order: WorkOrderId, candidates: &[Candidate], max_bytes: u64) -> Result<()> {
    let (held,): (i64,) =
        Sql::new("SELECT CAST(coalesce(sum(size_bytes), 0) AS BIGINT) FROM attachments WHERE work_order_id = ?")
            .bind(order.0)
            .fetch_one(db)
            .await?;
    let adding: u64 = candidates.iter().map(Candidate::size).sum();
    let total = u64::try_from(held).unwrap_or_default() + adding;
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

/// Writes one row per file and the event, inside the caller's transaction.
async fn record(
    db: &mut Db,
    actor: Actor,
    now: DateTime<Utc>,
    order: WorkOrderId,
    state: State,
    kind: AttachmentKind,
    candidates: &[Candidate],
) -> Result<Vec<AttachmentId>> {
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
        .bind(candidate.size() as i64)
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
fn describe(candidates: &[Candidate]) -> String {
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

/// Writes each candidate's content unless it is there already; answers the candidates
/// and the files this call created.
async fn store_files(files_dir: &Path, candidates: Vec<Candidate>) -> Result<(Vec<Candidate>, Vec<PathBuf>)> {
    let dir = files_dir.to_owned();
    blocking(move || files::store_all(&dir, &candidates).map(|created| (candidates, created))).await
}

/// Removes files a failed attach created, unless an attachment that committed meanwhile
/// holds the same content.
async fn remove_unreferenced(store: &Store, created: &[PathBuf]) {
    let mut unreferenced = Vec::new();
    for path in created {
        let hash = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let held: std::result::Result<(i64,), _> =
            Sql::new("SELECT count(*) FROM attachments WHERE sha256 = ?").bind(&hash).fetch_one(store).await;
        match held {
            Ok((0,)) => unreferenced.push(path.clone()),
            Ok(_) => {}
            Err(err) => tracing::warn!("keeping {} after a failed attach: {err}", path.display()),
        }
    }
    files::remove(&unreferenced);
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
