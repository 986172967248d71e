//! The admin's user management. The service refuses anyone but an agency admin.

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::UserId;
use plumbline_domain::api::{CommandError, ListUsers, NewUser, TemporaryPassword, UserList, UserSummary};
use plumbline_service::accounts;
use tauri::State;

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>, request: ListUsers) -> Result<UserList, CommandError> {
    accounts::list_users(&state.store, state.actor()?, AppState::now(), &request).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, user: NewUser) -> Result<TemporaryPassword, CommandError> {
    accounts::create_user(&state.store, state.actor()?, AppState::now(), &user).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn reset_password(state: State<'_, AppState>, user: UserId) -> Result<TemporaryPassword, CommandError> {
    accounts::reset_password(&state.store, state.actor()?, AppState::now(), user).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn unlock_user(state: State<'_, AppState>, user: UserId) -> Result<UserSummary, CommandError> {
    accounts::unlock_user(&state.store, state.actor()?, AppState::now(), user).await.map_err(to_command_error)
}
