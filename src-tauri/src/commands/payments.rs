//! Payments: staff record a closed job's payout.

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{CommandError, RecordPayout, WorkOrderDetail};
use plumbline_service::{payments, work_orders};
use tauri::State;

#[tauri::command]
pub async fn record_payout(state: State<'_, AppState>, request: RecordPayout) -> Result<WorkOrderDetail, CommandError> {
    let actor = state.actor()?;
    payments::record_payout(&state.store, actor, AppState::now(), &request).await.map_err(to_command_error)?;
    // The answer is the order as it now stands, so the Payment card shows Paid at once.
    work_orders::detail(&state.store, actor, AppState::now(), request.id).await.map_err(to_command_error)
}
