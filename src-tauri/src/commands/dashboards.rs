//! The landlord's, contractor's and tenant's dashboards (the staff one is in `desk`).

use crate::state::AppState;
use plumbline_domain::api::{CommandError, ContractorDashboard, LandlordDashboard, TenantDashboard};
use plumbline_domain::commands;
use tauri::State;

#[tauri::command]
pub async fn landlord_dashboard(state: State<'_, AppState>) -> Result<LandlordDashboard, CommandError> {
    state.run(commands::LandlordDashboard {}).await
}

#[tauri::command]
pub async fn contractor_dashboard(state: State<'_, AppState>) -> Result<ContractorDashboard, CommandError> {
    state.run(commands::ContractorDashboard {}).await
}

#[tauri::command]
pub async fn tenant_dashboard(state: State<'_, AppState>) -> Result<TenantDashboard, CommandError> {
    state.run(commands::TenantDashboard {}).await
}
