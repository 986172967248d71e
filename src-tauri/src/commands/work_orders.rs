use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{
    ActOnWorkOrder, CommandError, ContractorChoice, ListWorkOrders, SubmitRequest, Submitted, WorkOrderDetail,
    WorkOrderPage,
};
use plumbline_domain::{Action, WorkOrderId};
use plumbline_service::{contractors, work_orders};
use tauri::State;

#[tauri::command]
pub async fn list_work_orders(
    state: State<'_, AppState>,
    request: ListWorkOrders,
) -> Result<WorkOrderPage, CommandError> {
    work_orders::list(&state.store, state.actor()?, AppState::now(), &request).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn get_work_order(state: State<'_, AppState>, id: WorkOrderId) -> Result<WorkOrderDetail, CommandError> {
    work_orders::detail(&state.store, state.actor()?, AppState::now(), id).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn act_on_work_order(
    state: State<'_, AppState>,
    request: ActOnWorkOrder,
) -> Result<WorkOrderDetail, CommandError> {
    let actor = state.actor()?;
    work_orders::act(&state.store, actor, AppState::now(), &request).await.map_err(to_command_error)?;
    // The answer is the order as it now stands, so the screen shows the result at once.
    work_orders::detail(&state.store, actor, AppState::now(), request.id).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn submit_request(state: State<'_, AppState>, request: SubmitRequest) -> Result<Submitted, CommandError> {
    work_orders::submit(&state.store, state.actor()?, AppState::now(), &request).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn suggest_contractors(
    state: State<'_, AppState>,
    id: WorkOrderId,
) -> Result<Vec<ContractorChoice>, CommandError> {
    contractors::suggest(&state.store, state.actor()?, AppState::now(), id).await.map_err(to_command_error)
}

/// `Ok` if the signed-in user may take `action` now, else the core's reason why not.
#[tauri::command]
pub async fn explain_action(state: State<'_, AppState>, id: WorkOrderId, action: Action) -> Result<(), CommandError> {
    work_orders::explain(&state.store, state.actor()?, id, action).await.map_err(to_command_error)
}
