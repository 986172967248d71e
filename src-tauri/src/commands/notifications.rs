//! The bell: the signed-in user's notifications, reading them, and the desktop setting.

use crate::state::AppState;
use plumbline_domain::api::{CommandError, Notifications};
use plumbline_domain::commands;
use tauri::State;

#[tauri::command]
pub async fn notifications(state: State<'_, AppState>) -> Result<Notifications, CommandError> {
    state.run(commands::Notifications {}).await
}

#[tauri::command]
pub async fn read_notification(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    state.run(commands::ReadNotification { id }).await
}

#[tauri::command]
pub async fn read_all_notifications(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.run(commands::ReadAllNotifications {}).await
}

#[tauri::command]
pub async fn set_desktop_notifications(state: State<'_, AppState>, on: bool) -> Result<(), CommandError> {
    state.run(commands::SetDesktopNotifications { on }).await
}

#[tauri::command]
pub async fn set_on_duty(state: State<'_, AppState>, on: bool) -> Result<(), CommandError> {
    state.run(commands::SetOnDuty { on }).await
}
