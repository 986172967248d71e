//! Backup and restore (`crate::backups`): this computer's own store, dialogs and folders
//! (`api::LOCAL_ONLY`); refused on an agency server, whose backups the server takes.

use crate::backups::{self, OpenedBackup};
use crate::state::AppState;
use plumbline_domain::api::{BackupStatus, BackupSummary, CommandError, RestorePreview, SessionStatus};
use tauri::State;

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Result<BackupStatus, CommandError> {
    backups::status(&state).await
}

#[tauri::command]
pub async fn back_up_now(state: State<'_, AppState>) -> Result<Option<BackupSummary>, CommandError> {
    backups::back_up_now(&state).await
}

#[tauri::command]
pub async fn schedule_backups(state: State<'_, AppState>, keep: u32) -> Result<BackupStatus, CommandError> {
    backups::schedule(&state, keep).await
}

#[tauri::command]
pub async fn set_backups_kept(state: State<'_, AppState>, keep: u32) -> Result<BackupStatus, CommandError> {
    backups::set_kept(&state, keep).await
}

#[tauri::command]
pub async fn stop_scheduled_backups(state: State<'_, AppState>) -> Result<BackupStatus, CommandError> {
    backups::stop(&state).await
}

#[tauri::command]
pub async fn choose_restore(state: State<'_, AppState>) -> Result<Option<RestorePreview>, CommandError> {
    backups::choose_restore(&state).await
}

#[tauri::command]
pub fn opened_backup(opened: State<'_, OpenedBackup>) -> Option<String> {
    opened.file_name()
}

#[tauri::command]
pub async fn restore_opened_backup(
    state: State<'_, AppState>,
    opened: State<'_, OpenedBackup>,
) -> Result<Option<RestorePreview>, CommandError> {
    backups::restore_opened(&state, &opened).await
}

#[tauri::command]
pub async fn confirm_restore(state: State<'_, AppState>) -> Result<SessionStatus, CommandError> {
    backups::confirm_restore(&state).await
}

#[tauri::command]
pub async fn cancel_restore(state: State<'_, AppState>) -> Result<(), CommandError> {
    backups::cancel_restore(&state).await
}
