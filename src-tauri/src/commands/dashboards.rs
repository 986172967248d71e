//! The landlord's, contractor's and tenant's dashboards (the staff one is in `desk`).

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{CommandError, ContractorDashboard, LandlordDashboard, TenantDashboard};
use plumbline_service::work_orders;
use tauri::State;

#[tauri::command]
pub async fn landlord_dashboard(state: State<'_, AppState>) -> Result<LandlordDashboard, CommandError> {
    work_orders::landlord_dashboard(&state.store, state.actor()?, AppState::now()).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn contractor_dashboard(state: State<'_, AppState>) -> Result<ContractorDashboard, CommandError> {
    work_orders::contractor_dashboard(&state.store, state.actor()?, AppState::now()).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn tenant_dashboard(state: State<'_, AppState>) -> Result<TenantDashboard, CommandError> {
    work_orders::tenant_dashboard(&state.store, state.actor()?, AppState::now()).await.map_err(to_command_error)
}
