//! Daily backups into a folder the admin chose, keeping the newest N, and what the
//! Backup page shows. All of it is kept in `backups.json` beside the store: the folder is
//! this computer's, not the agency's data, so it is not in the store (and a restored
//! backup never brings back another computer's schedule).

use super::{EXTENSION, Written, refuse, require_admin};
use crate::error::{Result, ServiceError, capitalise};
use crate::store::Store;
use anyhow::Context;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use plumbline_domain::Actor;
use plumbline_domain::api::{BackupFailure, BackupSchedule, BackupStatus, Field, MAX_BACKUPS_KEPT};
use std::fs;
use std::path::{Path, PathBuf};

const SETTINGS_FILE: &str = "backups.json";

/// A scheduled backup's file name before the extension, in UTC: only files named so are
/// ever removed by retention, so nothing else in the folder is touched.
const SCHEDULED_NAME: &str = "plumbline-%Y-%m-%d-%H%M%S";

/// A day between scheduled backups.
fn every() -> TimeDelta {
    TimeDelta::days(1)
}

/// After a failed scheduled backup (the folder's drive unplugged, the disk full), the
/// next try waits this long rather than failing every minute.
fn retry_after() -> TimeDelta {
    TimeDelta::hours(1)
}

/// The Backup page's status. Only an admin may see it.
pub fn status(store: &Store, actor: Actor) -> Result<BackupStatus> {
    require_admin(actor)?;
    load(&settings_dir(store))
}

/// Takes a backup into `folder` every day from now on, keeping the newest `keep`.
pub fn schedule(store: &Store, actor: Actor, folder: &Path, keep: u32) -> Result<BackupStatus> {
    require_admin(actor)?;
    schedule_unchecked(store, folder, keep)
}

/// What an agency server's operator sets on its command line (`--backup-dir`): no one
/// signs in for it, and `None` (the option left out) stops the schedule.
pub fn set_by_operator(store: &Store, schedule: Option<(&Path, u32)>) -> Result<BackupStatus> {
    match schedule {
        Some((folder, keep)) => schedule_unchecked(store, folder, keep),
        None => change(store, |status| {
            status.schedule = None;
            status.last_failure = None;
        }),
    }
}

fn schedule_unchecked(store: &Store, folder: &Path, keep: u32) -> Result<BackupStatus> {
    check_keep(keep)?;
    if !folder.is_dir() {
        return Err(refuse(format!("{} is not a folder", folder.display())));
    }
    let folder_name = folder.to_str().ok_or_else(|| refuse("a backup folder's name must be valid Unicode"))?;
    change(store, |status| status.schedule = Some(BackupSchedule { folder: folder_name.to_owned(), keep }))
}

/// Keeps the newest `keep` scheduled backups; older ones are removed now.
pub fn set_kept(store: &Store, actor: Actor, keep: u32) -> Result<BackupStatus> {
    require_admin(actor)?;
    check_keep(keep)?;
    let status = load(&settings_dir(store))?;
    if status.schedule.is_none() {
        return Err(ServiceError::validation(Field::Keep, "Choose a folder for daily backups first"));
    }
    let status = change(store, |status| {
        if let Some(schedule) = &mut status.schedule {
            schedule.keep = keep;
        }
    })?;
    if let Some(schedule) = &status.schedule {
        prune(Path::new(&schedule.folder), keep)?;
    }
    Ok(status)
}

/// No more scheduled backups; those already taken stay where they are.
pub fn stop(store: &Store, actor: Actor) -> Result<BackupStatus> {
    require_admin(actor)?;
    set_by_operator(store, None)
}

/// Notes a backup just written (by hand or on schedule) as the last one.
pub(super) fn note_backup(store: &Store, written: &Written) -> Result<()> {
    change(store, |status| {
        status.last_backup = Some(written.summary());
        status.last_failure = None;
    })
    .map(|_| ())
}

/// Takes the scheduled backup if one is due at `now` (a day since the newest in the
/// folder), then removes the oldest beyond the number kept. `None` when nothing was due.
/// A failure is noted for the Backup page and tried again an hour later.
pub async fn run_scheduled(store: &Store, now: DateTime<Utc>) -> Result<Option<Written>> {
    let dir = settings_dir(store);
    let status = load(&dir)?;
    let Some(schedule) = status.schedule.clone() else { return Ok(None) };
    let folder = PathBuf::from(&schedule.folder);
    if !is_due(&folder, &status, now) {
        return Ok(None);
    }
    let dest = folder.join(format!("{}.{EXTENSION}", now.format(SCHEDULED_NAME)));
    match super::write(store, &dest, now).await {
        Ok(written) => {
            note_backup(store, &written)?;
            prune(&folder, schedule.keep)?;
            Ok(Some(written))
        }
        Err(err) => {
            let failure = BackupFailure { at: now, message: describe(&err) };
            change(store, |status| status.last_failure = Some(failure))?;
            Err(err)
        }
    }
}

fn is_due(folder: &Path, status: &BackupStatus, now: DateTime<Utc>) -> bool {
    let waiting_to_retry = status.last_failure.as_ref().is_some_and(|failure| now - failure.at < retry_after());
    let recent = scheduled_backups(folder).first().is_some_and(|(at, _)| now - *at < every());
    !waiting_to_retry && !recent
}

/// The scheduled backups in `folder`, newest first. A folder that cannot be read has
/// none (the backup that follows then says why it cannot be written).
fn scheduled_backups(folder: &Path) -> Vec<(DateTime<Utc>, PathBuf)> {
    let Ok(entries) = fs::read_dir(folder) else { return Vec::new() };
    let mut found: Vec<_> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stem = path.file_name()?.to_str()?.strip_suffix(&format!(".{EXTENSION}"))?;
            let at = NaiveDateTime::parse_from_str(stem, SCHEDULED_NAME).ok()?.and_utc();
            path.is_file().then_some((at, path))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found
}

/// Removes the scheduled backups beyond the newest `keep`; returns how many.
fn prune(folder: &Path, keep: u32) -> Result<usize> {
    let old: Vec<_> = scheduled_backups(folder).into_iter().skip(keep as usize).collect();
    for (_, path) in &old {
        fs::remove_file(path).with_context(|| format!("removing the old backup {}", path.display()))?;
    }
    Ok(old.len())
}

fn check_keep(keep: u32) -> Result<()> {
    if keep == 0 || keep > MAX_BACKUPS_KEPT {
        return Err(ServiceError::validation(Field::Keep, format!("Keep between 1 and {MAX_BACKUPS_KEPT} backups")));
    }
    Ok(())
}

/// What the admin reads about a failed scheduled backup: the cause itself (a full disk,
/// a missing folder), since no one was there to see it happen.
fn describe(err: &ServiceError) -> String {
    match err {
        ServiceError::Internal(cause) => capitalise(&format!("{cause:#}")),
        ServiceError::NotFound { .. }
        | ServiceError::NotAllowed(_)
        | ServiceError::InvalidTransition(_)
        | ServiceError::PayoutRefused(_)
        | ServiceError::Validation { .. }
        | ServiceError::Conflict => capitalise(&err.to_string()),
    }
}

/// The store's data directory (its file's folder on SQLite), where `backups.json` lives.
fn settings_dir(store: &Store) -> PathBuf {
    let files_dir = store.files_dir();
    files_dir.parent().map(Path::to_path_buf).unwrap_or(files_dir)
}

fn load(dir: &Path) -> Result<BackupStatus> {
    let path = dir.join(SETTINGS_FILE);
    match fs::read(&path) {
        Ok(json) => Ok(serde_json::from_slice(&json).with_context(|| format!("reading {}", path.display()))?),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            Ok(BackupStatus { schedule: None, last_backup: None, last_failure: None })
        }
        Err(err) => Err(anyhow::Error::new(err).context(format!("reading {}", path.display())).into()),
    }
}

/// Reads, changes and writes the settings; written to a temporary file and renamed, so
/// a crash never leaves half a file.
fn change(store: &Store, apply: impl FnOnce(&mut BackupStatus)) -> Result<BackupStatus> {
    let dir = settings_dir(store);
    let mut status = load(&dir)?;
    apply(&mut status);
    let path = dir.join(SETTINGS_FILE);
    let temp = dir.join(format!(".{SETTINGS_FILE}.{}.partial", std::process::id()));
    let json = serde_json::to_vec_pretty(&status).context("writing the backup settings")?;
    fs::write(&temp, json)
        .and_then(|()| fs::rename(&temp, &path))
        .with_context(|| format!("saving {}", path.display()))?;
    Ok(status)
}
