//! What an order's PDFs are made from, read through the same commands as its page (from
//! this computer's store or the agency server alike), so the paper shows exactly what
//! the reader may see on screen. A long read can be cancelled between its steps.

use crate::export_cancel::ExportCancel;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plumbline_domain::api::{Attachment, CommandError, Message, TimelineEntry, WorkOrderDetail};
use plumbline_domain::{MediaType, WorkOrderId, commands};
use plumbline_paper::Picture;

/// An order with its whole history, and for the evidence pack its messages and
/// attachments.
pub struct Gathered {
    pub detail: WorkOrderDetail,
    pub history: Vec<TimelineEntry>,
    pub messages: Vec<Message>,
    pub internal_notes_included: bool,
    pub attachments: Vec<(Attachment, Option<Picture>)>,
}

/// The order with every page of its history, oldest first.
pub async fn with_history(state: &AppState, detail: WorkOrderDetail) -> Result<Gathered, CommandError> {
    let mut history = detail.timeline.clone();
    let mut before = detail.earlier_history;
    while let Some(cursor) = before {
        let page = state.run(commands::WorkOrderHistory { id: detail.row.id, before: cursor }).await?;
        history.splice(0..0, page.entries);
        before = page.earlier;
    }
    Ok(Gathered { detail, history, messages: Vec::new(), internal_notes_included: false, attachments: Vec::new() })
}

/// Adds the thread (the agency's internal notes only if asked for and the reader is
/// the agency) and the attachments with their pictures, telling `progress` each step;
/// `None` if cancelled.
pub async fn with_messages_and_attachments(
    state: &AppState,
    mut gathered: Gathered,
    internal_notes: bool,
    cancel: &ExportCancel,
    progress: &(dyn Fn(String) + Sync),
) -> Result<Option<Gathered>, CommandError> {
    let id = gathered.detail.row.id;
    progress("Reading the messages".to_owned());
    let (messages, agency) = thread(state, id).await?;
    gathered.internal_notes_included = internal_notes && agency;
    gathered.messages = messages.into_iter().filter(|m| gathered.internal_notes_included || !m.internal).collect();
    let attachments = state.run(commands::ListAttachments { id }).await?;
    let total = attachments.len();
    for (index, attachment) in attachments.into_iter().enumerate() {
        if cancel.asked() {
            return Ok(None);
        }
        progress(format!("Adding attachment {} of {total}", index + 1));
        let picture = picture(state, &attachment).await?;
        gathered.attachments.push((attachment, picture));
    }
    Ok((!cancel.asked()).then_some(gathered))
}

/// Every message of the order's thread, oldest first, and whether the reader is the
/// agency (who may read internal notes).
async fn thread(state: &AppState, id: WorkOrderId) -> Result<(Vec<Message>, bool), CommandError> {
    let mut page = state.run(commands::ListMessages { id, before: None }).await?;
    let agency = page.may_write_internal;
    let mut messages = std::mem::take(&mut page.messages);
    while let Some(before) = page.earlier {
        page = state.run(commands::ListMessages { id, before: Some(before) }).await?;
        messages.splice(0..0, std::mem::take(&mut page.messages));
    }
    Ok((messages, agency))
}

/// The attachment's picture, if it is a photo a PDF can show.
async fn picture(state: &AppState, attachment: &Attachment) -> Result<Option<Picture>, CommandError> {
    if !matches!(attachment.media_type, MediaType::Jpeg | MediaType::Png) {
        return Ok(None);
    }
    // Too large to preview is too large to embed: the pack lists it instead.
    let Ok(data_url) = state.run(commands::AttachmentData { id: attachment.id }).await else {
        return Ok(None);
    };
    let encoded = data_url.split_once(";base64,").map_or("", |(_, encoded)| encoded);
    Ok(STANDARD.decode(encoded).ok().and_then(|bytes| Picture::read(attachment.media_type, &bytes)))
}
