//! What the intake form reads: the tenancy type-ahead and the category options.
//! (Submitting goes through `work_orders::submit_request`.)

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{CategoryOption, CommandError, SearchTenancies, TenancyChoice};
use plumbline_service::{categories, tenancies};
use tauri::State;

#[tauri::command]
pub async fn search_tenancies(
    state: State<'_, AppState>,
    request: SearchTenancies,
) -> Result<Vec<TenancyChoice>, CommandError> {
    tenancies::search(&state.store, state.actor()?, AppState::now(), &request.query, request.limit)
        .await
        .map_err(to_command_error)
}

#[tauri::command]
pub async fn intake_options(state: State<'_, AppState>) -> Result<Vec<CategoryOption>, CommandError> {
    categories::intake_options(&state.store).await.map_err(to_command_error)
}
