//! Backup and restore of this computer's store: the native dialogs choose the files and
//! folders, `plumbline_service::backup` writes and checks the archives, and restoring
//! switches stores only once the admin has seen what the backup holds and confirmed.
//!
//! An admin restores; so may anyone on a new computer's store not yet set up (its set-up
//! screen offers it), which has no admin and nothing to lose.
//!
//! A restore is unpacked into `restore-<time>/` inside the data directory; confirming
//! moves the store in use (its file and `files/`) into `replaced-<time>/` beside it,
//! never deleting it, and moves the restored one into its place.

use crate::error::{desktop_error, to_command_error};
use crate::local::Local;
use crate::state::{AppState, Backend, not_signed_in};
use plumbline_domain::Actor;
use plumbline_domain::api::{BackupStatus, BackupSummary, CommandError, ErrorCode, RestorePreview, SessionStatus};
use plumbline_service::backup::{self, EXTENSION, RestoredStore};
use plumbline_service::store::{DATABASE_FILE, FILES_DIR};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The store's own files, moved together (the write-ahead log and its index too, should
/// a crash have left them).
const STORE_FILES: &[&str] = &[DATABASE_FILE, "plumbline.sqlite3-wal", "plumbline.sqlite3-shm", FILES_DIR];

/// The folders a backup is unpacked into, and the replaced store kept in.
const RESTORE_PREFIX: &str = "restore-";
const REPLACED_PREFIX: &str = "replaced-";

fn on_a_server() -> CommandError {
    CommandError {
        code: ErrorCode::NotAllowed,
        message: "Backups of the agency server are taken on the server (see the README, \"Backing up an agency server\"): this desktop keeps no copy of the agency's data".into(),
        field: None,
    }
}

/// This computer's store and its signed-in admin; refused on an agency server, whose
/// backups are taken on the server.
async fn local_admin(state: &AppState) -> Result<(Arc<Local>, Actor), CommandError> {
    let local = match state.backend() {
        Some(Backend::Local(local)) => local,
        Some(Backend::Server(_)) => return Err(on_a_server()),
        None => return Err(not_signed_in("Sign in first")),
    };
    let actor = local.actor().await?;
    backup::require_admin(actor).map_err(to_command_error)?;
    Ok((local, actor))
}

/// This computer's store and who restores into it: its admin, or no one on a new
/// computer's store not yet set up (`backup::may_restore`).
async fn local_restorer(state: &AppState) -> Result<(Arc<Local>, Option<Actor>), CommandError> {
    let local = state.active_local().await?.ok_or_else(on_a_server)?;
    let actor = local.actor().await.ok();
    backup::may_restore(&local.store, actor).await.map_err(to_command_error)?;
    Ok((local, actor))
}

pub async fn status(state: &AppState) -> Result<BackupStatus, CommandError> {
    let (local, actor) = local_admin(state).await?;
    backup::status(&local.store, actor).map_err(to_command_error)
}

/// Asks where to save, then writes the archive there.
pub async fn back_up_now(state: &AppState) -> Result<Option<BackupSummary>, CommandError> {
    let (local, actor) = local_admin(state).await?;
    let suggested = format!("Plumbline backup {}.{EXTENSION}", AppState::now().format("%Y-%m-%d"));
    let Some(dest) = plumbline_desktop::choose_backup_destination(suggested).await.map_err(desktop_error)? else {
        return Ok(None);
    };
    let dest = with_extension(dest);
    let written = backup::back_up(&local.store, actor, &dest, AppState::now()).await.map_err(to_command_error)?;
    Ok(Some(written.summary()))
}

/// A name typed without the extension gets it, so the restore dialog lists the file.
fn with_extension(path: PathBuf) -> PathBuf {
    match path.extension() {
        Some(extension) if extension == EXTENSION => path,
        Some(_) | None => {
            let mut name = path.file_name().map(|name| name.to_os_string()).unwrap_or_default();
            name.push(format!(".{EXTENSION}"));
            path.with_file_name(name)
        }
    }
}

/// Asks for the folder, then backs up there daily, keeping `keep`.
pub async fn schedule(state: &AppState, keep: u32) -> Result<BackupStatus, CommandError> {
    let (local, actor) = local_admin(state).await?;
    match plumbline_desktop::choose_backup_folder().await.map_err(desktop_error)? {
        Some(folder) => backup::schedule(&local.store, actor, &folder, keep),
        None => backup::status(&local.store, actor),
    }
    .map_err(to_command_error)
}

pub async fn set_kept(state: &AppState, keep: u32) -> Result<BackupStatus, CommandError> {
    let (local, actor) = local_admin(state).await?;
    backup::set_kept(&local.store, actor, keep).map_err(to_command_error)
}

pub async fn stop(state: &AppState) -> Result<BackupStatus, CommandError> {
    let (local, actor) = local_admin(state).await?;
    backup::stop(&local.store, actor).map_err(to_command_error)
}

/// Asks for a backup, checks it and unpacks it beside the store for the admin to look
/// at. A backup unpacked before and never confirmed (also one left by a closed app) is
/// removed first.
pub async fn choose_restore(state: &AppState) -> Result<Option<RestorePreview>, CommandError> {
    let (local, actor) = local_restorer(state).await?;
    let Some(archive) = plumbline_desktop::choose_backup_to_restore().await.map_err(desktop_error)? else {
        return Ok(None);
    };
    unpack_to_look_at(state, &local, actor, &archive).await.map(Some)
}

/// As `choose_restore`, for the backup Plumbline was opened with. It is let go of once
/// looked at, whatever the answer: a refused one is not offered again.
pub async fn restore_opened(state: &AppState, opened: &OpenedBackup) -> Result<Option<RestorePreview>, CommandError> {
    let (local, actor) = local_restorer(state).await?;
    let Some(archive) = opened.take() else { return Ok(None) };
    unpack_to_look_at(state, &local, actor, &archive).await.map(Some)
}

async fn unpack_to_look_at(
    state: &AppState,
    local: &Local,
    actor: Option<Actor>,
    archive: &Path,
) -> Result<RestorePreview, CommandError> {
    let mut restoring = state.restoring().lock().await;
    restoring.take();
    remove_unconfirmed(state.store_dir());
    let into = state.store_dir().join(format!("{RESTORE_PREFIX}{}", stamp()));
    let restored = backup::restore(&local.store, actor, archive, &into).await.map_err(to_command_error)?;
    let preview = restored.preview();
    *restoring = Some(restored);
    Ok(preview)
}

/// The backup Plumbline was started with: a double-click in the file manager, which the
/// installers' file association turns into `plumbline <path>` (on macOS, an "open" event).
/// Held until the admin (or a new computer's set-up screen) looks at it.
#[derive(Debug, Default)]
pub struct OpenedBackup(Mutex<Option<PathBuf>>);

impl OpenedBackup {
    /// The first argument naming a Plumbline backup, if any (flags are not files).
    pub fn from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Self {
        let opened = args.into_iter().map(PathBuf::from).find(|path| {
            !path.to_string_lossy().starts_with('-') && path.extension().is_some_and(|ext| ext == EXTENSION)
        });
        Self(Mutex::new(opened))
    }

    #[cfg(target_os = "macos")]
    pub fn open(&self, path: PathBuf) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(path);
    }

    pub fn file_name(&self) -> Option<String> {
        let held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_deref().map(|path| path.file_name().unwrap_or(path.as_os_str()).to_string_lossy().into_owned())
    }

    fn take(&self) -> Option<PathBuf> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Switches to the backup unpacked by `choose_restore`, keeping the old store aside.
pub async fn confirm_restore(state: &AppState) -> Result<SessionStatus, CommandError> {
    local_restorer(state).await?;
    let mut restoring = state.restoring().lock().await;
    let restored = restoring.take().ok_or_else(|| CommandError {
        code: ErrorCode::NotFound,
        message: "Choose a backup to restore first".into(),
        field: None,
    })?;
    let store_dir = state.store_dir().to_owned();
    let aside = store_dir.join(format!("{REPLACED_PREFIX}{}", stamp()));
    let status = state.replace_local_store(|| swap_in(&store_dir, &restored.dir, &aside)).await?;
    tracing::info!("restored {}; the store it replaced is in {}", restored.file_name, aside.display());
    if let Err(err) = fs::remove_dir_all(&restored.dir) {
        tracing::warn!("could not remove {}: {err}", restored.dir.display());
    }
    Ok(status)
}

pub async fn cancel_restore(state: &AppState) -> Result<(), CommandError> {
    local_restorer(state).await?;
    if let Some(restored) = state.restoring().lock().await.take() {
        remove_unpacked(&restored);
    }
    Ok(())
}

/// Removes every `restore-*` folder in the data directory: backups unpacked and never
/// confirmed. Only this feature makes folders so named there.
fn remove_unconfirmed(store_dir: &Path) {
    let Ok(entries) = fs::read_dir(store_dir) else { return };
    for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
        let ours = path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with(RESTORE_PREFIX));
        if ours
            && path.is_dir()
            && let Err(err) = fs::remove_dir_all(&path)
        {
            tracing::warn!("could not remove the unpacked backup {}: {err}", path.display());
        }
    }
}

fn remove_unpacked(restored: &RestoredStore) {
    if let Err(err) = fs::remove_dir_all(&restored.dir) {
        tracing::warn!("could not remove the unpacked backup {}: {err}", restored.dir.display());
    }
}

/// A folder name from the current UTC time, unique enough for one person's restores.
fn stamp() -> String {
    AppState::now().format("%Y-%m-%d-%H%M%S").to_string()
}

/// Moves the store in `store_dir` aside into `aside` and the restored one from
/// `restored` into its place. If a move fails, what was moved is put back.
fn swap_in(store_dir: &Path, restored: &Path, aside: &Path) -> Result<(), CommandError> {
    let fail =
        |what: &str, err: std::io::Error| desktop_error(format!("the backup could not be restored: {what}: {err}"));
    fs::create_dir(aside).map_err(|err| fail(&format!("creating {}", aside.display()), err))?;
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let plan = STORE_FILES
        .iter()
        .map(|name| (store_dir.join(name), aside.join(name)))
        .chain(STORE_FILES.iter().map(|name| (restored.join(name), store_dir.join(name))));
    for (from, to) in plan {
        if !from.exists() {
            continue;
        }
        if let Err(err) = fs::rename(&from, &to) {
            put_back(&moved);
            return Err(fail(&format!("moving {} to {}", from.display(), to.display()), err));
        }
        moved.push((from, to));
    }
    Ok(())
}

/// Undoes moves, newest first.
fn put_back(moved: &[(PathBuf, PathBuf)]) {
    for (from, to) in moved.iter().rev() {
        if let Err(err) = fs::rename(to, from) {
            tracing::error!("could not move {} back to {}: {err}", to.display(), from.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OpenedBackup;

    fn opened(args: &[&str]) -> Option<String> {
        OpenedBackup::from_args(args.iter().map(Into::into)).file_name()
    }

    #[test]
    fn a_backup_double_clicked_in_the_file_manager_waits_to_be_looked_at() {
        let args = ["--demo", "/home/ann/Backups/Plumbline backup 2026-12-01.plumbline-backup"];
        assert_eq!(opened(&args).as_deref(), Some("Plumbline backup 2026-12-01.plumbline-backup"));
        let opened_backup = OpenedBackup::from_args(args.iter().map(Into::into));
        assert!(opened_backup.take().is_some());
        assert_eq!(opened_backup.file_name(), None, "looked at once, then let go of");
    }

    #[test]
    fn flags_and_other_files_are_not_backups() {
        assert_eq!(opened(&[]), None);
        assert_eq!(opened(&["--demo"]), None);
        assert_eq!(opened(&["/home/ann/notes.txt", "--version"]), None);
        assert_eq!(opened(&["--x.plumbline-backup"]), None);
    }
}
