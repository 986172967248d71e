//! Payments: staff record a closed job's payout.

use crate::state::AppState;
use plumbline_domain::api::{CommandError, RecordPayout, WorkOrderDetail};
use plumbline_domain::commands;
use tauri::State;

/// Answers with the order as it now stands, so the Payment card shows Paid at once.
#[tauri::command]
pub async fn record_payout(state: State<'_, AppState>, request: RecordPayout) -> Result<WorkOrderDetail, CommandError> {
    state.run(commands::RecordPayout { request }).await
}
