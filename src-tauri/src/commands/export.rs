//! The list or a report to a CSV file: the native save dialog first, then the rows as the
//! signed-in user sees them (from this computer's store or the agency server alike),
//! written with the screen's columns; the list's times in this computer's zone.

use crate::error::{desktop_error, to_command_error};
use crate::state::{AppState, not_signed_in};
use chrono::Local;
use plumbline_domain::api::{
    CommandError, ListSort, ListWorkOrders, ReportRequest, SessionStatus, WorkOrderFilter, WorkOrderRow,
};
use plumbline_domain::commands;
use plumbline_service::reports::report_csv;
use plumbline_service::work_orders::{MAX_PAGE_SIZE, export::rows_csv};
use std::path::Path;
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
    save(&path, csv).await
}

/// Saves the report's table where the user chooses; `None` if they cancelled.
#[tauri::command]
pub async fn export_report(state: State<'_, AppState>, request: ReportRequest) -> Result<Option<String>, CommandError> {
    // Asked first, so a report the user may not see is refused before any dialog opens.
    let report = state.run(commands::RunReport { request }).await?;
    let suggested = format!("{} {}.csv", report.kind.title(), Local::now().format("%Y-%m-%d"));
    let chosen = plumbline_desktop::choose_csv_destination("Export report", suggested).await;
    let Some(path) = chosen.map_err(desktop_error)? else { return Ok(None) };
    save(&path, report_csv(&report).map_err(to_command_error)?).await
}

async fn save(path: &Path, csv: String) -> Result<Option<String>, CommandError> {
    tokio::fs::write(path, csv)
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
