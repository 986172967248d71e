//! The private folder attachments are copied or fetched into to be opened in the OS's
//! apps (never the data directory, whose stored files have no extension): one per run,
//! readable by this user only, removed when the app closes; one a run left behind (the
//! app was killed) is removed by a later start. Each attachment is one file in it,
//! rewritten on each open, so it holds at most what this user opened.

use plumbline_domain::api::{CommandError, ErrorCode};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tempfile::TempDir;

const PREFIX: &str = "plumbline-opened-";

/// A folder left this long is a run's that ended without removing it. Should it be a
/// long-running app's after all, that app makes itself a new one on its next open.
const LEFT_BEHIND_AFTER: Duration = Duration::from_secs(7 * 24 * 60 * 60);

#[derive(Default)]
pub struct OpenedFolder(Mutex<Option<TempDir>>);

impl OpenedFolder {
    /// The folder, made on first use (sweeping folders earlier runs left behind), or again
    /// if it has gone: never recreated by path, which would not be private.
    pub fn path(&self) -> Result<PathBuf, CommandError> {
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(dir) = held.as_ref().filter(|dir| dir.path().is_dir()) {
            return Ok(dir.path().to_owned());
        }
        sweep_left_behind();
        // Made readable by this user only (tempfile's default on Unix).
        let made = tempfile::Builder::new().prefix(PREFIX).tempdir().map_err(|err| CommandError {
            code: ErrorCode::Internal,
            message: format!("Could not make a folder to open attachments from: {err}"),
            field: None,
        })?;
        Ok(held.insert(made).path().to_owned())
    }
}

fn sweep_left_behind() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(PREFIX);
        // `symlink_metadata`: only real folders, never where a link points.
        let old = entry.path().symlink_metadata().is_ok_and(|metadata| {
            metadata.is_dir() && metadata.modified().ok().and_then(|at| at.elapsed().ok()) > Some(LEFT_BEHIND_AFTER)
        });
        if ours
            && old
            && let Err(err) = std::fs::remove_dir_all(entry.path())
        {
            tracing::debug!("could not remove {}: {err}", entry.path().display());
        }
    }
}
