//! Messages: order threads and tenants' direct threads; opening a thread marks it read.

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{CommandError, DirectThread, Message, MessageThread, PostDirectMessage, PostMessage};
use plumbline_domain::{UserId, WorkOrderId};
use plumbline_service::messages;
use tauri::State;

#[tauri::command]
pub async fn list_messages(state: State<'_, AppState>, id: WorkOrderId) -> Result<MessageThread, CommandError> {
    messages::list(&state.store, state.actor()?, AppState::now(), id).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn post_message(state: State<'_, AppState>, request: PostMessage) -> Result<Message, CommandError> {
    messages::post(&state.store, state.actor()?, AppState::now(), &request).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn direct_threads(state: State<'_, AppState>) -> Result<Vec<DirectThread>, CommandError> {
    messages::direct_threads(&state.store, state.actor()?).await.map_err(to_command_error)
}

/// A tenant's direct thread; a tenant leaves `tenant` empty for their own.
#[tauri::command]
pub async fn direct_messages(
    state: State<'_, AppState>,
    tenant: Option<UserId>,
) -> Result<MessageThread, CommandError> {
    messages::direct_messages(&state.store, state.actor()?, AppState::now(), tenant).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn post_direct_message(
    state: State<'_, AppState>,
    request: PostDirectMessage,
) -> Result<Message, CommandError> {
    messages::post_direct(&state.store, state.actor()?, AppState::now(), &request).await.map_err(to_command_error)
}
