//! Backup and restore (`crate::backups`): this computer's own store, dialogs and folders
//! (`api::LOCAL_ONLY`); refused on an agency server, whose backups the server takes.

use super::{Answer, ForPage};
use crate::backups::{self, OpenedBackup};
use crate::state::AppState;
use plumbline_domain::api::{BackupStatus, BackupSummary, RestorePreview, SessionStatus};
use tauri::State;

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Answer<BackupStatus> {
    backups::status(&state).await.map(ForPage)
}

#[tauri::command]
pub async fn back_up_now(state: State<'_, AppState>) -> Answer<Option<BackupSummary>> {
    backups::back_up_now(&state).await.map(ForPage)
}

#[tauri::command]
pub async fn schedule_backups(state: State<'_, AppState>, keep: u32) -> Answer<BackupStatus> {
    backups::schedule(&state, keep).await.map(ForPage)
}

#[tauri::command]
pub async fn set_backups_kept(state: State<'_, AppState>, keep: u32) -> Answer<BackupStatus> {
    backups::set_kept(&state, keep).await.map(ForPage)
}

#[tauri::command]
pub async fn stop_scheduled_backups(state: State<'_, AppState>) -> Answer<BackupStatus> {
    backups::stop(&state).await.map(ForPage)
}

#[tauri::command]
pub async fn choose_restore(state: State<'_, AppState>) -> Answer<Option<RestorePreview>> {
    backups::choose_restore(&state).await.map(ForPage)
}

#[tauri::command]
pub fn opened_backup(opened: State<'_, OpenedBackup>) -> ForPage<Option<String>> {
    ForPage(opened.file_name())
}

#[tauri::command]
pub async fn restore_opened_backup(
    state: State<'_, AppState>,
    opened: State<'_, OpenedBackup>,
) -> Answer<Option<RestorePreview>> {
    backups::restore_opened(&state, &opened).await.map(ForPage)
}

#[tauri::command]
pub async fn confirm_restore(state: State<'_, AppState>) -> Answer<SessionStatus> {
    backups::confirm_restore(&state).await.map(ForPage)
}

#[tauri::command]
pub async fn cancel_restore(state: State<'_, AppState>) -> Answer<()> {
    backups::cancel_restore(&state).await.map(ForPage)
}
