//! The disk side of attachments. A chosen file is only ever read; the places written are
//! a temporary `.partial` file and `files_dir/<sha256>`, a name made here from the
//! content's digest, so no name or path that came with a file can point a write anywhere.
//!
//! A chosen file is measured from its metadata before it is opened (the limits refuse
//! what is too large without reading a byte, and a pipe or device is never opened), then
//! streamed to a temporary file while it is hashed, with no database transaction open.

use super::ChosenFile;
use crate::error::{Result, ServiceError};
use anyhow::Context;
use plumbline_domain::MediaType;
use plumbline_domain::attachment::{SNIFF_BYTES, display_name, name_to_open, size_label, sniff};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static PARTIAL_SERIAL: AtomicU64 = AtomicU64::new(0);

/// How long one read of a chosen file may give nothing before the file is refused as not
/// answering. A local disk answers in milliseconds and a live network share in well under
/// a second; a share whose server went away, or a disk being unplugged, may never answer,
/// and without a bound that would hold the request (and, on the server, a connection) for
/// ever. Per read rather than per file, so a large file on a slow but live link still
/// arrives.
pub(super) const READ_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Bytes read from a chosen file at a time.
const CHUNK_BYTES: usize = 64 * 1024;

/// The field refusals of chosen files are reported against.
pub(super) const FILES_FIELD: plumbline_domain::api::Field = plumbline_domain::api::Field::Files;

/// The lower-case hex SHA-256 of a file's content: its stored file's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ContentHash(String);

impl ContentHash {
    fn of(digest: Sha256) -> Self {
        Self(digest.finalize().iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// A stored hash, checked again before it becomes part of a path.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let hex = text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex.then(|| Self(text.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// `files_dir/<hex>`: 64 hex digits are never a separator, `..` or absolute.
    pub(crate) fn path_in(&self, files_dir: &Path) -> PathBuf {
        files_dir.join(&self.0)
    }
}

/// A chosen file measured from its metadata, not yet opened.
pub(super) struct Measured {
    path: PathBuf,
    file_name: String,
    pub size: u64,
}

/// Measures each chosen file, refusing the first that is missing, not a regular file,
/// empty or larger than `max_bytes`. Nothing is opened: `stat` never blocks on a pipe.
pub(super) fn measure_all(files: &[ChosenFile], max_bytes: u64) -> Result<Vec<Measured>> {
    files.iter().map(|file| measure_one(&file.path, &file.name, max_bytes)).collect()
}

fn measure_one(path: &Path, name: &str, max_bytes: u64) -> Result<Measured> {
    let file_name = display_name(name);
    let metadata = fs::metadata(path).map_err(|_| refuse(&file_name, UNREADABLE))?;
    if metadata.is_dir() {
        return Err(refuse(&file_name, "is a folder, not a file"));
    }
    if !metadata.is_file() {
        return Err(refuse(&file_name, NOT_REGULAR));
    }
    if metadata.len() > max_bytes {
        return Err(too_large(&file_name, metadata.len(), max_bytes));
    }
    if metadata.len() == 0 {
        return Err(refuse(&file_name, "is empty"));
    }
    Ok(Measured { path: path.to_owned(), size: metadata.len(), file_name })
}

const UNREADABLE: &str = "could not be read: it was moved or is not readable";
const NOT_REGULAR: &str = "is not a file saved on disk (it is a pipe, socket or device); choose a photo, video or PDF";

fn refuse(file_name: &str, why: &str) -> ServiceError {
    ServiceError::validation(FILES_FIELD, format!("{file_name} {why}"))
}

fn too_large(file_name: &str, size: u64, max_bytes: u64) -> ServiceError {
    refuse(file_name, &format!("is {}; a file may be at most {}", size_label(size), size_label(max_bytes)))
}

/// A chosen file copied to a temporary file beside the stored ones and checked, not yet
/// in place.
pub(super) struct Staged {
    temp: PathBuf,
    pub file_name: String,
    pub media_type: MediaType,
    pub size: u64,
    pub hash: ContentHash,
}

/// The files of one call, staged; whatever temporary file is still there when this is
/// dropped (refused, failed, cancelled or already placed) is removed.
pub(super) struct Staging(pub Vec<Staged>);

impl Drop for Staging {
    fn drop(&mut self) {
        let temps: Vec<PathBuf> = self.0.iter().map(|staged| staged.temp.clone()).collect();
        remove(&temps);
    }
}

/// Streams each measured file into a temporary file in `files_dir`, hashing it and
/// telling its type from its first bytes; refuses the first that stops answering, grew
/// past `max_bytes`, turned out empty or is not of a kind kept.
pub(super) async fn stage_all(files_dir: &Path, measured: Vec<Measured>, max_bytes: u64) -> Result<Staging> {
    tokio::fs::create_dir_all(files_dir).await.with_context(|| format!("creating {}", files_dir.display()))?;
    let mut staging = Staging(Vec::with_capacity(measured.len()));
    for file in measured {
        let serial = PARTIAL_SERIAL.fetch_add(1, Ordering::Relaxed);
        // Unique per process and call; `create_new` refuses to reuse a name anyway.
        let temp = files_dir.join(format!(".{}-{serial}.partial", std::process::id()));
        let copied = copy_checked(&file, &temp, max_bytes, READ_STALL_TIMEOUT).await;
        let (media_type, size, hash) = match copied {
            Ok(staged) => staged,
            Err(err) => {
                remove(std::slice::from_ref(&temp));
                return Err(err);
            }
        };
        staging.0.push(Staged { temp, file_name: file.file_name, media_type, size, hash });
    }
    Ok(staging)
}

async fn copy_checked(
    file: &Measured,
    temp: &Path,
    max_bytes: u64,
    stall: Duration,
) -> Result<(MediaType, u64, ContentHash)> {
    let name = &file.file_name;
    let stalled = || refuse(name, &stalled_message(stall));
    // Opening is bounded too: the path may have become a pipe since it was measured.
    let mut source = tokio::time::timeout(stall, tokio::fs::File::open(&file.path))
        .await
        .map_err(|_| stalled())?
        .map_err(|_| refuse(name, UNREADABLE))?;
    let is_file = source.metadata().await.map(|metadata| metadata.is_file()).map_err(|_| refuse(name, UNREADABLE))?;
    if !is_file {
        return Err(refuse(name, NOT_REGULAR));
    }
    let writing = |err: std::io::Error| ServiceError::from(anyhow::Error::new(err).context(format!("staging {name}")));
    let mut out = tokio::fs::OpenOptions::new().write(true).create_new(true).open(temp).await.map_err(writing)?;
    let mut digest = Sha256::new();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut size = 0_u64;
    let mut buffer = vec![0; CHUNK_BYTES];
    loop {
        let read = tokio::time::timeout(stall, source.read(&mut buffer)).await.map_err(|_| stalled())?;
        let chunk = &buffer[..read.map_err(|_| refuse(name, UNREADABLE))?];
        if chunk.is_empty() {
            break;
        }
        size += chunk.len() as u64;
        // It may have grown since it was measured.
        if size > max_bytes {
            return Err(too_large(name, size, max_bytes));
        }
        let wanted = SNIFF_BYTES.saturating_sub(head.len()).min(chunk.len());
        head.extend_from_slice(&chunk[..wanted]);
        digest.update(chunk);
        out.write_all(chunk).await.map_err(writing)?;
    }
    if size == 0 {
        return Err(refuse(name, "is empty"));
    }
    let media_type = sniff(&head, size).ok_or_else(|| refuse(name, &not_accepted(name)))?;
    out.sync_all().await.map_err(writing)?;
    Ok((media_type, size, ContentHash::of(digest)))
}

fn stalled_message(stall: Duration) -> String {
    format!(
        "could not be read: it gave nothing for {} seconds (is its network drive or disk still connected?)",
        stall.as_secs()
    )
}

/// "is not a JPEG image: its content is not…", naming what the extension claimed.
fn not_accepted(file_name: &str) -> String {
    const WHY: &str = "an image, PDF or video Plumbline accepts";
    match MediaType::claimed_by(file_name) {
        Some(claimed) => format!("is not {}: its content is not {WHY}", claimed.label()),
        None => format!("is not {WHY}"),
    }
}

/// Renames each staged file to `files_dir/<sha256>` unless that content is there
/// already. Returns the files this call created, so a caller whose database write then
/// fails can remove them again; on an error here they are removed already. Run while the
/// caller holds the contents' locks (`super::lock_content`), so a failed call elsewhere
/// cannot remove a file found in place here before this call's rows are committed.
pub(super) fn place_all(files_dir: &Path, staged: &[(PathBuf, ContentHash)]) -> Result<Vec<PathBuf>> {
    let mut created = Vec::new();
    for (temp, hash) in staged {
        let target = hash.path_in(files_dir);
        if target.is_file() {
            continue;
        }
        if let Err(err) = fs::rename(temp, &target) {
            remove(&created);
            return Err(anyhow::Error::new(err).context(format!("storing {}", target.display())).into());
        }
        created.push(target);
    }
    Ok(created)
}

/// Each staged file's temporary path and hash, to place.
pub(super) fn placing(staging: &Staging) -> Vec<(PathBuf, ContentHash)> {
    staging.0.iter().map(|staged| (staged.temp.clone(), staged.hash.clone())).collect()
}

/// Copies a stored file to `open_dir/<folder>/<name>` (an attachment's folder is its id),
/// the name ending in its content's extension (`name_to_open`), so the OS opens it by
/// what it is. A copy, not a link: the app it opens in may change or lock it, and the
/// stored content must stay as attached.
pub(super) fn copy_to_open(
    stored: &Path,
    open_dir: &Path,
    folder: &str,
    shown: &str,
    media: MediaType,
) -> Result<PathBuf> {
    let dir = open_dir.join(folder);
    let target = dir.join(name_to_open(shown, media));
    let temp = dir.join(".opening.partial");
    // Not `create_dir_all`: should `open_dir` have gone, it is not remade here by path,
    // since its maker made it private.
    let made = match fs::create_dir(&dir) {
        Err(err) if err.kind() == ErrorKind::AlreadyExists => Ok(()),
        made => made,
    };
    let copied = made
        .and_then(|()| fs::copy(stored, &temp))
        .and_then(|_| fs::rename(&temp, &target))
        .with_context(|| format!("copying {} to {}", stored.display(), target.display()));
    if copied.is_err() {
        remove(std::slice::from_ref(&temp));
    }
    copied?;
    Ok(target)
}

/// Removes files this call created; one already gone is fine.
pub(super) fn remove(created: &[PathBuf]) {
    for path in created {
        match fs::remove_file(path) {
            Ok(()) => {}
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(err) => tracing::warn!("could not remove {} after a refused attach: {err}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that gives nothing: a pipe (standing in for a share whose server went
    /// away) that became one after it was measured, so only the timeout can stop it.
    #[tokio::test]
    async fn a_file_that_stops_answering_is_refused_once_the_stall_timeout_passes() {
        let dir = tempfile::tempdir().expect("a folder");
        let pipe = dir.path().join("scan.pdf");
        assert!(std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs").success());
        let measured = Measured { path: pipe.clone(), file_name: "scan.pdf".into(), size: 1000 };
        let temp = dir.path().join(".staged.partial");

        let stall = Duration::from_millis(300);
        let opening = tokio::time::timeout(Duration::from_secs(10), copy_checked(&measured, &temp, 1000, stall));
        let refused = opening.await.expect("refused once the stall timeout passed");

        let Err(ServiceError::Validation { message, .. }) = refused else { panic!("not refused: {refused:?}") };
        assert!(message.starts_with("scan.pdf could not be read: it gave nothing for"), "{message}");
        assert!(!temp.exists(), "nothing was staged");
        // Let the open still waiting on its own thread finish, so the runtime can stop.
        drop(std::fs::OpenOptions::new().write(true).open(&pipe));
    }
}
