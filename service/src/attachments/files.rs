//! The disk side of attachments. A chosen file is only ever read; the one place written
//! is `files_dir/<sha256>`, a name made here from the content's digest, so no name or
//! path that came with a file can point a write anywhere.

use super::ChosenFile;
use crate::error::{Result, ServiceError};
use anyhow::Context;
use plumbline_domain::MediaType;
use plumbline_domain::attachment::{SNIFF_BYTES, display_name, size_label, sniff};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static PARTIAL_SERIAL: AtomicU64 = AtomicU64::new(0);

/// The field refusals of chosen files are reported against.
pub(super) const FILES_FIELD: plumbline_domain::api::Field = plumbline_domain::api::Field::Files;

/// The lower-case hex SHA-256 of a file's content: its stored file's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContentHash(String);

impl ContentHash {
    fn of(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect())
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

/// A chosen file read and checked, not yet stored.
pub(super) struct Candidate {
    pub file_name: String,
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
    pub hash: ContentHash,
}

impl Candidate {
    pub fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
}

/// Reads each chosen file, refusing the first that is missing, not a file, empty,
/// larger than `max_bytes` or not of a kind kept. Nothing is written.
pub(super) fn read_all(files: &[ChosenFile], max_bytes: u64) -> Result<Vec<Candidate>> {
    files.iter().map(|file| read_one(&file.path, &file.name, max_bytes)).collect()
}

fn read_one(path: &Path, name: &str, max_bytes: u64) -> Result<Candidate> {
    let file_name = display_name(name);
    let refuse = |why: String| ServiceError::validation(FILES_FIELD, format!("{file_name} {why}"));
    let metadata =
        fs::metadata(path).map_err(|_| refuse("could not be read: it was moved or is not readable".into()))?;
    if !metadata.is_file() {
        return Err(refuse("is a folder, not a file".into()));
    }
    let too_large =
        |size: u64| refuse(format!("is {}; a file may be at most {}", size_label(size), size_label(max_bytes)));
    if metadata.len() > max_bytes {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(max_bytes + 1).read_to_end(&mut bytes))
        .map_err(|_| refuse("could not be read: it was moved or is not readable".into()))?;
    // It may have grown since it was measured.
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.is_empty() {
        return Err(refuse("is empty".into()));
    }
    let media_type = sniff(&bytes[..bytes.len().min(SNIFF_BYTES)], bytes.len() as u64)
        .ok_or_else(|| refuse(not_accepted(&file_name)))?;
    Ok(Candidate { hash: ContentHash::of(&bytes), file_name, media_type, bytes })
}

/// "is not a JPEG image: its content is not…", naming what the extension claimed.
fn not_accepted(file_name: &str) -> String {
    const WHY: &str = "an image, PDF or video Plumbline accepts";
    match MediaType::claimed_by(file_name) {
        Some(claimed) => format!("is not {}: its content is not {WHY}", claimed.label()),
        None => format!("is not {WHY}"),
    }
}

/// Stores each candidate's content as `files_dir/<sha256>` unless that content is
/// already there. Returns the files this call created, so a caller whose database
/// write then fails can remove them again; on an error here they are removed already.
pub(super) fn store_all(files_dir: &Path, candidates: &[Candidate]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(files_dir).with_context(|| format!("creating {}", files_dir.display()))?;
    let mut created = Vec::new();
    for candidate in candidates {
        match store_one(files_dir, candidate) {
            Ok(Some(path)) => created.push(path),
            Ok(None) => {}
            Err(err) => {
                remove(&created);
                return Err(err);
            }
        }
    }
    Ok(created)
}

/// Writes to a temporary file in the same directory, then renames it into place, so
/// `<sha256>` only ever holds the whole content (a crash leaves a stray `.partial`).
fn store_one(files_dir: &Path, candidate: &Candidate) -> Result<Option<PathBuf>> {
    let target = candidate.hash.path_in(files_dir);
    if target.is_file() {
        return Ok(None);
    }
    // Unique per process and call; `create_new` refuses to reuse a name anyway.
    let serial = PARTIAL_SERIAL.fetch_add(1, Ordering::Relaxed);
    let temp = files_dir.join(format!(".{}.{}-{serial}.partial", candidate.hash.as_str(), std::process::id()));
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| file.write_all(&candidate.bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&temp, &target));
    if let Err(err) = written {
        let _ = fs::remove_file(&temp);
        return Err(anyhow::Error::new(err).context(format!("storing {}", target.display())).into());
    }
    Ok(Some(target))
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
