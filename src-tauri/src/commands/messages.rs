//! Messages: order threads and tenants' direct threads; opening a thread marks it read.

use crate::state::AppState;
use plumbline_domain::api::{CommandError, DirectThread, Message, MessageThread, PostDirectMessage, PostMessage};
use plumbline_domain::commands;
use plumbline_domain::{MessageId, UserId, WorkOrderId};
use tauri::State;

#[tauri::command]
pub async fn list_messages(
    state: State<'_, AppState>,
    id: WorkOrderId,
    before: Option<MessageId>,
) -> Result<MessageThread, CommandError> {
    state.run(commands::ListMessages { id, before }).await
}

#[tauri::command]
pub async fn post_message(state: State<'_, AppState>, request: PostMessage) -> Result<Message, CommandError> {
    state.run(commands::PostMessage { request }).await
}

#[tauri::command]
pub async fn retract_message(state: State<'_, AppState>, id: MessageId) -> Result<Message, CommandError> {
    state.run(commands::RetractMessage { id }).await
}

#[tauri::command]
pub async fn direct_threads(state: State<'_, AppState>) -> Result<Vec<DirectThread>, CommandError> {
    state.run(commands::DirectThreads {}).await
}

/// A tenant's direct thread; a tenant leaves `tenant` empty for their own.
#[tauri::command]
pub async fn direct_messages(
    state: State<'_, AppState>,
    tenant: Option<UserId>,
    before: Option<MessageId>,
) -> Result<MessageThread, CommandError> {
    state.run(commands::DirectMessages { tenant, before }).await
}

#[tauri::command]
pub async fn post_direct_message(
    state: State<'_, AppState>,
    request: PostDirectMessage,
) -> Result<Message, CommandError> {
    state.run(commands::PostDirectMessage { request }).await
}
