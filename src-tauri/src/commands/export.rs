//! What the screens show, saved where the user chooses in the native save dialog: the
//! list or a report to CSV, an order's summary or evidence pack to PDF. The content is
//! read as the signed-in user sees it (from this computer's store or the agency server
//! alike, through `service::exports`, which the agency server's downloads use too) and
//! its times are written in this computer's zone.

use super::{Answer, ForPage};
use crate::error::{desktop_error, to_command_error};
use crate::export_cancel::ExportCancel;
use crate::state::{AppState, not_signed_in};
use chrono::{DateTime, Local, Utc};
use plumbline_domain::api::{
    CommandError, CurrentUser, EXPORT_PROGRESS_EVENT, ExportProgress, ListSort, ReportRequest, SessionStatus,
    WorkOrderFilter,
};
use plumbline_domain::{WorkOrderId, commands};
use plumbline_service::api::Handle;
use plumbline_service::exports::{self, Gathered, Reader};
use plumbline_service::reports::report_csv;
use plumbline_service::work_orders::{MAX_PAGE_SIZE, export::rows_csv};
use std::path::Path;
use tauri::{AppHandle, Emitter, State};

/// The desktop reads an export as its screens do: through the shell, from this
/// computer's store or the agency server.
impl Reader for AppState {
    type Error = CommandError;

    async fn run<C: Handle + Sync>(&self, command: C) -> Result<C::Answer, CommandError> {
        AppState::run(self, command).await
    }
}

/// Saves the list where the user chooses, telling its progress as it reads; `None` if
/// they cancelled the dialog or the export.
#[tauri::command]
pub async fn export_work_orders(
    app: AppHandle,
    state: State<'_, AppState>,
    cancel: State<'_, ExportCancel>,
    filter: WorkOrderFilter,
    sort: ListSort,
) -> Answer<Option<String>> {
    let user = signed_in_user(&state).await?;
    let suggested = exports::list_file_name(AppState::now(), &Local);
    let chosen = plumbline_desktop::choose_csv_destination("Export work orders", suggested).await;
    let Some(path) = chosen.map_err(desktop_error)? else { return Ok(ForPage(None)) };
    cancel.start();
    let progress = tell_progress(app);
    let read = exports::every_row(&*state, filter, sort, MAX_PAGE_SIZE, &|| cancel.asked(), &progress).await?;
    let Some(rows) = read else { return Ok(ForPage(None)) };
    progress("Writing the file".to_owned());
    let csv = rows_csv(&rows, user.role, |at| exports::csv_time(at, &Local)).map_err(to_command_error)?;
    save(&path, csv).await.map(ForPage)
}

/// Saves the report's table where the user chooses; `None` if they cancelled.
#[tauri::command]
pub async fn export_report(state: State<'_, AppState>, request: ReportRequest) -> Answer<Option<String>> {
    // Asked first, so a report the user may not see is refused before any dialog opens.
    let report = state.run(commands::RunReport { request }).await?;
    let suggested = exports::report_file_name(report.kind, AppState::now(), &Local);
    let chosen = plumbline_desktop::choose_csv_destination("Export report", suggested).await;
    let Some(path) = chosen.map_err(desktop_error)? else { return Ok(ForPage(None)) };
    save(&path, report_csv(&report).map_err(to_command_error)?).await.map(ForPage)
}

/// Saves the order's one-page summary where the user chooses; `None` if they cancelled.
#[tauri::command]
pub async fn export_work_order_pdf(state: State<'_, AppState>, id: WorkOrderId) -> Answer<Option<String>> {
    let user = paper_reader(&state).await?;
    // Read first, so an order the user may not see is refused before any dialog opens.
    let detail = state.run(commands::GetWorkOrder { id }).await?;
    let suggested = exports::summary_file_name(&detail.row.reference);
    let chosen = plumbline_desktop::choose_pdf_destination("Save the order's summary", suggested).await;
    let Some(path) = chosen.map_err(desktop_error)? else { return Ok(ForPage(None)) };
    let gathered = exports::with_history(&*state, detail).await?;
    let pdf = plumbline_paper::summary(&order_file(&gathered, &user));
    save(&path, pdf).await.map(ForPage)
}

/// Saves the order's evidence pack where the user chooses, telling its progress as it
/// reads; `None` if they cancelled the dialog or the pack. Its arguments are named as
/// `commands::ExportEvidencePack` names them (`internal_notes`), not in camelCase.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_evidence_pack(
    app: AppHandle,
    state: State<'_, AppState>,
    cancel: State<'_, ExportCancel>,
    id: WorkOrderId,
    internal_notes: bool,
) -> Answer<Option<String>> {
    let user = paper_reader(&state).await?;
    let detail = state.run(commands::GetWorkOrder { id }).await?;
    let suggested = exports::evidence_pack_file_name(&detail.row.reference);
    let chosen = plumbline_desktop::choose_pdf_destination("Save the evidence pack", suggested).await;
    let Some(path) = chosen.map_err(desktop_error)? else { return Ok(ForPage(None)) };
    cancel.start();
    let progress = tell_progress(app);
    progress("Reading the history".to_owned());
    let gathered = exports::with_history(&*state, detail).await?;
    let read = exports::with_messages_and_attachments(&*state, gathered, internal_notes, &|| cancel.asked(), &progress)
        .await?;
    let Some(gathered) = read else { return Ok(ForPage(None)) };
    progress("Writing the PDF".to_owned());
    let pdf = plumbline_paper::evidence_pack(&order_file(&gathered, &user));
    save(&path, pdf).await.map(ForPage)
}

/// Stops the list or the evidence pack being read; it saves nothing.
#[tauri::command]
pub fn cancel_export(cancel: State<'_, ExportCancel>) -> ForPage<()> {
    cancel.cancel();
    ForPage(())
}

/// Tells the screen how far a long export has got.
fn tell_progress(app: AppHandle) -> impl Fn(String) + Sync {
    move |step: String| {
        if let Err(err) = app.emit(EXPORT_PROGRESS_EVENT, ExportProgress { step }) {
            tracing::warn!("could not report an export's progress: {err}");
        }
    }
}

async fn signed_in_user(state: &AppState) -> Result<CurrentUser, CommandError> {
    match state.session_status().await? {
        SessionStatus::SignedIn(signed_in) => Ok(signed_in.user),
        SessionStatus::SignedOut { .. } | SessionStatus::SetupNeeded => Err(not_signed_in("Sign in to export")),
    }
}

/// The signed-in user, if they may take an order's paper away (`exports::may_take_paper`).
async fn paper_reader(state: &AppState) -> Result<CurrentUser, CommandError> {
    let user = signed_in_user(state).await?;
    exports::may_take_paper(user.role).map_err(to_command_error)?;
    Ok(user)
}

fn order_file<'a>(gathered: &'a Gathered, user: &'a CurrentUser) -> plumbline_paper::OrderFile<'a> {
    gathered.order_file(user, AppState::now(), &local_time)
}

/// "Mon 23 Nov 2026, 09:30" in this computer's zone.
fn local_time(at: DateTime<Utc>) -> String {
    exports::paper_time(at, &Local)
}

async fn save(path: &Path, content: impl AsRef<[u8]>) -> Result<Option<String>, CommandError> {
    tokio::fs::write(path, content)
        .await
        .map_err(|err| desktop_error(format!("could not save {}: {err}", path.display())))?;
    Ok(Some(path.display().to_string()))
}
