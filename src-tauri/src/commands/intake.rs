//! What the intake form reads: the tenancy type-ahead and the category options.
//! (Submitting goes through `work_orders::submit_request`.)

use crate::state::AppState;
use plumbline_domain::api::{CategoryOption, CommandError, SearchTenancies, TenancyChoice};
use plumbline_domain::commands;
use tauri::State;

#[tauri::command]
pub async fn search_tenancies(
    state: State<'_, AppState>,
    request: SearchTenancies,
) -> Result<Vec<TenancyChoice>, CommandError> {
    state.run(commands::SearchTenancies { request }).await
}

#[tauri::command]
pub async fn intake_options(state: State<'_, AppState>) -> Result<Vec<CategoryOption>, CommandError> {
    state.run(commands::IntakeOptions {}).await
}
