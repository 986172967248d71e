//! The desk's overviews: the staff dashboard, triage queue, the list's filter menus,
//! the palette's search, and the reports.

use crate::state::AppState;
use plumbline_domain::api::{
    CommandError, FilterOptions, Report, ReportRequest, Search, SearchResults, StaffDashboard, TriageQueue,
};
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

#[tauri::command]
pub async fn search(state: State<'_, AppState>, request: Search) -> Result<SearchResults, CommandError> {
    state.run(commands::Search { request }).await
}

#[tauri::command]
pub async fn run_report(state: State<'_, AppState>, request: ReportRequest) -> Result<Report, CommandError> {
    state.run(commands::RunReport { request }).await
}
