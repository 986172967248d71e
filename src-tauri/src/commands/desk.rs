//! The staff desk's overviews: dashboard, triage queue and the list's filter menus.

use crate::state::AppState;
use plumbline_domain::api::{CommandError, FilterOptions, StaffDashboard, TriageQueue};
use plumbline_domain::commands;
use tauri::State;

#[tauri::command]
pub async fn staff_dashboard(state: State<'_, AppState>) -> Result<StaffDashboard, CommandError> {
    state.run(commands::StaffDashboard {}).await
}

#[tauri::command]
pub async fn triage_queue(state: State<'_, AppState>) -> Result<TriageQueue, CommandError> {
    state.run(commands::TriageQueue {}).await
}

#[tauri::command]
pub async fn filter_options(state: State<'_, AppState>) -> Result<FilterOptions, CommandError> {
    state.run(commands::FilterOptions {}).await
}
