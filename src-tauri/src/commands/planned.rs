//! Planned maintenance: the schedules staff keep (the service refuses anyone else).

use crate::state::AppState;
use plumbline_domain::api::{CommandError, ListSchedules, ScheduleDetail, ScheduleInput, ScheduleSummary};
use plumbline_domain::commands;
use plumbline_domain::ids::ScheduleId;
use tauri::State;

#[tauri::command]
pub async fn list_schedules(
    state: State<'_, AppState>,
    request: ListSchedules,
) -> Result<Vec<ScheduleSummary>, CommandError> {
    state.run(commands::ListSchedules { request }).await
}

#[tauri::command]
pub async fn get_schedule(state: State<'_, AppState>, id: ScheduleId) -> Result<ScheduleDetail, CommandError> {
    state.run(commands::GetSchedule { id }).await
}

#[tauri::command]
pub async fn add_schedule(state: State<'_, AppState>, schedule: ScheduleInput) -> Result<ScheduleDetail, CommandError> {
    state.run(commands::AddSchedule { schedule }).await
}

#[tauri::command]
pub async fn set_schedule_paused(
    state: State<'_, AppState>,
    id: ScheduleId,
    paused: bool,
) -> Result<ScheduleDetail, CommandError> {
    state.run(commands::SetSchedulePaused { id, paused }).await
}
