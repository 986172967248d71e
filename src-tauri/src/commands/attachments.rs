//! Attachments: the native dialog chooses files on this computer; the store they go to
//! (this computer's, or the agency server's) checks and keeps them. Choosing and opening
//! files are this computer's own (`api::LOCAL_ONLY`); listing and showing them are the
//! service's, like every other command (`AppState::run_for_page`).

use super::{Answer, ForPage};
use crate::chosen_files::ChosenFiles;
use crate::error::desktop_error;
use crate::state::AppState;
use plumbline_domain::api::{Attachment, ChosenFile};
use plumbline_domain::commands;
use plumbline_domain::{AttachmentId, AttachmentKind, WorkOrderId};
use tauri::State;

/// Shows the file dialog and attaches what was chosen; cancelling attaches nothing.
#[tauri::command]
pub async fn pick_and_attach(
    state: State<'_, AppState>,
    id: WorkOrderId,
    kind: AttachmentKind,
) -> Answer<Vec<Attachment>> {
    // No dialog for an order this user may not see.
    state.run(commands::ListAttachments { id }).await?;
    let paths = plumbline_desktop::choose_attachments().await.map_err(desktop_error)?;
    if paths.is_empty() {
        return Ok(ForPage(Vec::new()));
    }
    state.attach(id, kind, &paths).await.map(ForPage)
}

/// Photos for a request not yet sent: chosen now, held here, attached once it exists.
#[tauri::command]
pub async fn choose_photos(chosen: State<'_, ChosenFiles>) -> Answer<Vec<ChosenFile>> {
    let paths = plumbline_desktop::choose_attachments().await.map_err(desktop_error)?;
    Ok(ForPage(chosen.hold(paths)))
}

/// Attaches the held photos to the order just submitted, as "before" photos.
#[tauri::command]
pub async fn attach_chosen(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenFiles>,
    id: WorkOrderId,
    tokens: Vec<u64>,
) -> Answer<Vec<Attachment>> {
    let paths = chosen.take(&tokens)?;
    state.attach(id, AttachmentKind::Before, &paths).await.map(ForPage)
}

/// Opens the order's address on a map in the browser. The address comes from the
/// order, never from the webview, so the page cannot send the browser anywhere else.
#[tauri::command]
pub async fn open_map(state: State<'_, AppState>, id: WorkOrderId) -> Answer<()> {
    let order = state.run(commands::GetWorkOrder { id }).await?;
    let url = plumbline_domain::map::search_url(&order.address);
    plumbline_desktop::open_in_browser(url).await.map_err(desktop_error).map(ForPage)
}

/// Opens a PDF, a video or a HEIC photo in the app the OS uses for it.
#[tauri::command]
pub async fn open_attachment(state: State<'_, AppState>, id: AttachmentId) -> Answer<()> {
    let path = state.attachment_file(id).await?;
    plumbline_desktop::open_in_default_app(path).await.map_err(desktop_error).map(ForPage)
}
