//! The staff desk's overviews: dashboard, triage queue and the list's filter menus.

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{CommandError, FilterOptions, StaffDashboard, TriageQueue};
use plumbline_service::work_orders;
use tauri::State;

#[tauri::command]
pub async fn staff_dashboard(state: State<'_, AppState>) -> Result<StaffDashboard, CommandError> {
    work_orders::staff_dashboard(&state.store, state.actor()?, AppState::now()).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn triage_queue(state: State<'_, AppState>) -> Result<TriageQueue, CommandError> {
    work_orders::triage_queue(&state.store, state.actor()?, AppState::now()).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn filter_options(state: State<'_, AppState>) -> Result<FilterOptions, CommandError> {
    work_orders::filter_options(&state.store, state.actor()?).await.map_err(to_command_error)
}
