//! Attachments: the native dialog chooses files, the service copies and checks them.
//! Choosing and opening files are this computer's own (`api::LOCAL_ONLY`); listing and
//! showing go through `AppState::run` like every other command.

use crate::error::{desktop_error, to_command_error};
use crate::local::Local;
use crate::state::AppState;
use plumbline_domain::api::{Attachment, CommandError, ErrorCode};
use plumbline_domain::commands;
use plumbline_domain::{AttachmentId, AttachmentKind, WorkOrderId};
use plumbline_service::attachments;
use tauri::State;

/// Shows the file dialog and attaches what was chosen; cancelling attaches nothing.
#[tauri::command]
pub async fn pick_and_attach(
    state: State<'_, AppState>,
    id: WorkOrderId,
    kind: AttachmentKind,
) -> Result<Vec<Attachment>, CommandError> {
    let local = local_files(&state, "Attaching files")?;
    // No dialog for an order this user may not see.
    state.run(commands::ListAttachments { id }).await?;
    let paths = plumbline_desktop::choose_attachments().await.map_err(desktop_error)?;
    let files_dir = local.store.files_dir();
    attachments::attach(&local.store, local.actor()?, AppState::now(), &files_dir, id, kind, &paths)
        .await
        .map_err(to_command_error)
}

#[tauri::command]
pub async fn list_attachments(state: State<'_, AppState>, id: WorkOrderId) -> Result<Vec<Attachment>, CommandError> {
    state.run(commands::ListAttachments { id }).await
}

/// An image as a `data:` URL for its thumbnail and the viewer: the webview is given
/// the bytes, never a path into the data directory.
#[tauri::command]
pub async fn attachment_data(state: State<'_, AppState>, id: AttachmentId) -> Result<String, CommandError> {
    state.run(commands::AttachmentData { id }).await
}

/// Opens a PDF, a video or a HEIC photo in the app the OS uses for it.
#[tauri::command]
pub async fn open_attachment(state: State<'_, AppState>, id: AttachmentId) -> Result<(), CommandError> {
    let local = local_files(&state, "Opening attachments")?;
    let files_dir = local.store.files_dir();
    let path = attachments::open_path(&local.store, local.actor()?, &files_dir, id).await.map_err(to_command_error)?;
    plumbline_desktop::open_in_default_app(path).await.map_err(desktop_error)
}

/// This computer's store, whose files these are. Files do not cross to an agency server
/// yet, so there they are refused, before any dialog opens.
fn local_files(state: &AppState, doing: &str) -> Result<std::sync::Arc<Local>, CommandError> {
    state.local().ok_or_else(|| CommandError {
        code: ErrorCode::NotAllowed,
        message: format!(
            "{doing} on the agency server comes in a later version of Plumbline; nothing was attached or opened."
        ),
        field: None,
    })
}
