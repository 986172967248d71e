//! The list to a CSV file: the native save dialog first, then every page of the list as
//! the signed-in user sees it (from this computer's store or the agency server alike),
//! written with the screen's columns and times in this computer's zone.

use crate::error::{desktop_error, to_command_error};
use crate::state::{AppState, not_signed_in};
use chrono::Local;
use plumbline_domain::api::{CommandError, ListSort, ListWorkOrders, SessionStatus, WorkOrderFilter, WorkOrderRow};
use plumbline_domain::commands;
use plumbline_service::work_orders::{MAX_PAGE_SIZE, export::rows_csv};
use tauri::State;

/// Saves the list where the user chooses; `None` if they cancelled.
#[tauri::command]
pub async fn export_work_orders(
    state: State<'_, AppState>,
    filter: WorkOrderFilter,
    sort: ListSort,
) -> Result<Option<String>, CommandError> {
    let SessionStatus::SignedIn(signed_in) = state.session_status().await? else {
        return Err(not_signed_in("Sign in to export the list"));
    };
    let suggested = format!("Work orders {}.csv", Local::now().format("%Y-%m-%d"));
    let chosen = plumbline_desktop::choose_csv_destination("Export work orders", suggested).await;
    let Some(path) = chosen.map_err(desktop_error)? else { return Ok(None) };
    let rows = every_row(&state, filter, sort).await?;
    let local = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string();
    let csv = rows_csv(&rows, signed_in.user.role, local).map_err(to_command_error)?;
    tokio::fs::write(&path, csv)
        .await
        .map_err(|err| desktop_error(format!("could not save {}: {err}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Every page of the list, in its order.
async fn every_row(
    state: &AppState,
    filter: WorkOrderFilter,
    sort: ListSort,
) -> Result<Vec<WorkOrderRow>, CommandError> {
    let mut request = ListWorkOrders { filter, sort, after: None, limit: MAX_PAGE_SIZE };
    let mut rows = Vec::new();
    loop {
        let page = state.run(commands::ListWorkOrders { request: request.clone() }).await?;
        rows.extend(page.rows);
        match page.next {
            Some(next) => request.after = Some(next),
            None => return Ok(rows),
        }
    }
}
