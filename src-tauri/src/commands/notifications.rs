//! The bell: the signed-in user's notifications, reading them, and the desktop setting.

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{CommandError, Notifications};
use plumbline_service::notifications;
use tauri::State;

#[tauri::command]
pub async fn notifications(state: State<'_, AppState>) -> Result<Notifications, CommandError> {
    notifications::list(&state.store, state.actor()?).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn read_notification(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    notifications::mark_read(&state.store, state.actor()?, AppState::now(), id).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn read_all_notifications(state: State<'_, AppState>) -> Result<(), CommandError> {
    notifications::mark_all_read(&state.store, state.actor()?, AppState::now()).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn set_desktop_notifications(state: State<'_, AppState>, on: bool) -> Result<(), CommandError> {
    notifications::set_desktop(&state.store, state.actor()?, on).await.map_err(to_command_error)
}
