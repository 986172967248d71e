//! CSV import: the file is chosen and read on this computer (`api::LOCAL_ONLY`), then
//! previewed and imported by the store it goes to; the report's rejected rows are saved
//! on this computer. On this computer's own store a long import reports its progress as
//! `plumbline://import-progress` events.

use super::{Answer, ForPage};
use crate::error::desktop_error;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plumbline_domain::api::{CommandError, ErrorCode, Field, ImportFile, ImportProgress, ImportReport};
use plumbline_service::import::{MAX_FILE_BYTES, report_csv};
use tauri::{AppHandle, Emitter, State};

/// The event a long import's progress is emitted on.
pub const PROGRESS_EVENT: &str = "plumbline://import-progress";

/// Shows the file dialog and reads the chosen file; cancelling reads nothing.
#[tauri::command]
pub async fn pick_import_file() -> Answer<Option<ImportFile>> {
    let Some(path) = plumbline_desktop::choose_import_file().await.map_err(desktop_error)? else {
        return Ok(ForPage(None));
    };
    let file_name =
        path.file_name().map_or_else(|| "import.csv".to_owned(), |name| name.to_string_lossy().into_owned());
    let too_big = |size: u64| size > MAX_FILE_BYTES as u64;
    let metadata = tokio::fs::metadata(&path).await.map_err(|err| unreadable(&file_name, &err))?;
    if too_big(metadata.len()) {
        let message = format!("{file_name} is larger than {} MB; split it into smaller files", MAX_FILE_BYTES >> 20);
        return Err(CommandError { code: ErrorCode::Validation, message, field: Some(Field::File) });
    }
    let bytes = tokio::fs::read(&path).await.map_err(|err| unreadable(&file_name, &err))?;
    Ok(ForPage(Some(ImportFile { file_name, content_base64: STANDARD.encode(bytes) })))
}

fn unreadable(file_name: &str, err: &std::io::Error) -> CommandError {
    CommandError {
        code: ErrorCode::Validation,
        message: format!("{file_name} could not be read: {err}"),
        field: Some(Field::File),
    }
}

#[tauri::command]
pub async fn run_import(app: AppHandle, state: State<'_, AppState>, file: ImportFile) -> Answer<ImportReport> {
    let progress = move |progress: ImportProgress| {
        if let Err(err) = app.emit(PROGRESS_EVENT, progress) {
            tracing::warn!("could not report the import's progress: {err}");
        }
    };
    state.import(file, &progress).await.map(ForPage)
}

/// Saves the rejected rows where the user chooses; `None` if they cancelled.
#[tauri::command]
pub async fn save_import_report(report: ImportReport) -> Answer<Option<String>> {
    let stem = report.file_name.trim_end_matches(".csv").trim_end_matches(".CSV");
    let suggested = format!("{stem} - rejected rows.csv");
    let Some(path) =
        plumbline_desktop::choose_csv_destination("Save the rejected rows", suggested).await.map_err(desktop_error)?
    else {
        return Ok(ForPage(None));
    };
    let csv = report_csv(&report).map_err(crate::error::to_command_error)?;
    tokio::fs::write(&path, csv)
        .await
        .map_err(|err| desktop_error(format!("could not save {}: {err}", path.display())))?;
    Ok(ForPage(Some(path.display().to_string())))
}
