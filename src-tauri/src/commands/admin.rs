//! The admin's user management. The service refuses anyone but an agency admin.

use crate::state::AppState;
use plumbline_domain::UserId;
use plumbline_domain::api::{
    AdminActionPage, CommandError, ListAdminActions, ListUsers, NewUser, TemporaryPassword, UserList, UserSummary,
};
use plumbline_domain::commands;
use tauri::State;

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>, request: ListUsers) -> Result<UserList, CommandError> {
    state.run(commands::ListUsers { request }).await
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, user: NewUser) -> Result<TemporaryPassword, CommandError> {
    state.run(commands::CreateUser { user }).await
}

#[tauri::command]
pub async fn reset_password(state: State<'_, AppState>, user: UserId) -> Result<TemporaryPassword, CommandError> {
    state.run(commands::ResetPassword { user }).await
}

#[tauri::command]
pub async fn unlock_user(state: State<'_, AppState>, user: UserId) -> Result<UserSummary, CommandError> {
    state.run(commands::UnlockUser { user }).await
}

#[tauri::command]
pub async fn set_user_active(
    state: State<'_, AppState>,
    user: UserId,
    active: bool,
) -> Result<UserSummary, CommandError> {
    state.run(commands::SetUserActive { user, active }).await
}

#[tauri::command]
pub async fn list_admin_actions(
    state: State<'_, AppState>,
    request: ListAdminActions,
) -> Result<AdminActionPage, CommandError> {
    state.run(commands::ListAdminActions { request }).await
}
