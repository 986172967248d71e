use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{CommandError, CurrentUser};
use plumbline_service::users;
use tauri::State;

#[tauri::command]
pub async fn current_user(state: State<'_, AppState>) -> Result<CurrentUser, CommandError> {
    users::current(&state.store, state.actor()).await.map_err(to_command_error)
}
