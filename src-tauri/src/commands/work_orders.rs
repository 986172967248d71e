//! Work orders: the list, an order's detail, its steps, new requests, contractor
//! suggestions and "why can't I…?".

use crate::state::AppState;
use plumbline_domain::api::{
    ActOnWorkOrder, CommandError, ContractorChoice, ListWorkOrders, SubmitRequest, Submitted, TimelineCursor,
    TimelinePage, WorkOrderDetail, WorkOrderPage,
};
use plumbline_domain::commands;
use plumbline_domain::{Action, WorkOrderId};
use tauri::State;

#[tauri::command]
pub async fn list_work_orders(
    state: State<'_, AppState>,
    request: ListWorkOrders,
) -> Result<WorkOrderPage, CommandError> {
    state.run(commands::ListWorkOrders { request }).await
}

#[tauri::command]
pub async fn get_work_order(state: State<'_, AppState>, id: WorkOrderId) -> Result<WorkOrderDetail, CommandError> {
    state.run(commands::GetWorkOrder { id }).await
}

#[tauri::command]
pub async fn work_order_history(
    state: State<'_, AppState>,
    id: WorkOrderId,
    before: TimelineCursor,
) -> Result<TimelinePage, CommandError> {
    state.run(commands::WorkOrderHistory { id, before }).await
}

/// Answers with the order as it now stands, so the screen shows the result at once.
#[tauri::command]
pub async fn act_on_work_order(
    state: State<'_, AppState>,
    request: ActOnWorkOrder,
) -> Result<WorkOrderDetail, CommandError> {
    state.run(commands::ActOnWorkOrder { request }).await
}

#[tauri::command]
pub async fn submit_request(state: State<'_, AppState>, request: SubmitRequest) -> Result<Submitted, CommandError> {
    state.run(commands::SubmitRequest { request }).await
}

#[tauri::command]
pub async fn suggest_contractors(
    state: State<'_, AppState>,
    id: WorkOrderId,
) -> Result<Vec<ContractorChoice>, CommandError> {
    state.run(commands::SuggestContractors { id }).await
}

/// `Ok` if the signed-in user may take `action` now, else the core's reason why not.
#[tauri::command]
pub async fn explain_action(state: State<'_, AppState>, id: WorkOrderId, action: Action) -> Result<(), CommandError> {
    state.run(commands::ExplainAction { id, action }).await
}
