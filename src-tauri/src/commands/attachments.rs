//! Attachments: the native dialog chooses files on this computer; the store they go to
//! (this computer's, or the agency server's) checks and keeps them. Choosing and opening
//! files are this computer's own (`api::LOCAL_ONLY`); listing and showing go through
//! `AppState::run` like every other command.

use crate::error::desktop_error;
use crate::state::AppState;
use plumbline_domain::api::{Attachment, CommandError};
use plumbline_domain::commands;
use plumbline_domain::{AttachmentId, AttachmentKind, WorkOrderId};
use tauri::State;

/// Shows the file dialog and attaches what was chosen; cancelling attaches nothing.
#[tauri::command]
pub async fn pick_and_attach(
    state: State<'_, AppState>,
    id: WorkOrderId,
    kind: AttachmentKind,
) -> Result<Vec<Attachment>, CommandError> {
    // No dialog for an order this user may not see.
    state.run(commands::ListAttachments { id }).await?;
    let paths = plumbline_desktop::choose_attachments().await.map_err(desktop_error)?;
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    state.attach(id, kind, &paths).await
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
    let path = state.attachment_file(id).await?;
    plumbline_desktop::open_in_default_app(path).await.map_err(desktop_error)
}
