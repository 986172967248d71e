//! The order's Attachments card: add photos or files through the native dialog (in a
//! browser, the page's file input: a contractor's phone takes the before and after
//! photos), see photos as thumbnails (click for the viewer, Esc closes it), open other
//! files in the OS's own app (in a browser, download them). What a file is comes from
//! the backend, which checked its content.

use crate::components::file_picker::FilePicker;
use crate::components::status::error_banner;
use crate::keyboard::use_keydown;
use crate::live::use_changes;
use crate::{format, ipc};
use plumbline_domain::api::{Attachment, ChangeKind, ChangeSubject, ChosenFile, CommandError, WorkOrderDetail};
use plumbline_domain::attachment::size_label;
use plumbline_domain::commands;
use plumbline_domain::{AttachmentId, AttachmentKind, WorkOrderId};
use std::future::Future;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AttachmentsCardProps {
    pub id: WorkOrderId,
    /// The order as it stands after files are added (its history has a new event).
    pub on_changed: Callback<WorkOrderDetail>,
}

#[function_component]
pub fn AttachmentsCard(props: &AttachmentsCardProps) -> Html {
    let list = use_state(Vec::<Attachment>::new);
    let error = use_state(|| None::<CommandError>);
    let kind = use_state(|| AttachmentKind::Before);
    let busy = use_state(|| false);
    // Files anyone adds to this order, from any desktop.
    let this = props.id;
    let changes = use_changes(move |change| {
        change.kind == ChangeKind::Attachments && matches!(change.subject, ChangeSubject::Order { id } if id == this)
    });
    {
        let (list, error) = (list.clone(), error.clone());
        use_effect_with((props.id, changes), move |(id, _)| {
            let id = *id;
            ipc::call_then(commands::ListAttachments { id }, move |answer| match answer {
                Ok(found) => list.set(found),
                Err(err) => error.set(Some(err)),
            });
        });
    }
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            kind.set(AttachmentKind::parse(&value).unwrap_or(AttachmentKind::Other));
        })
    };
    let adder =
        Adder { list: list.clone(), error: error.clone(), busy: busy.clone(), on_changed: props.on_changed.clone() };
    let on_desktop = {
        let (kind, id, adder) = (kind.clone(), props.id, adder.clone());
        Callback::from(move |()| adder.run(id, ipc::call(commands::PickAndAttach { id, kind: *kind })))
    };
    let on_chosen = {
        let (kind, id) = (kind.clone(), props.id);
        Callback::from(move |chosen: Vec<ChosenFile>| {
            let tokens = chosen.iter().map(|file| file.token).collect();
            adder.run(id, ipc::attach_chosen_as(id, *kind, tokens))
        })
    };
    let (accept, camera) = picking(*kind);
    let (images, others): (Vec<_>, Vec<_>) = list.iter().cloned().partition(|a| a.media_type.is_previewable_image());
    html! {
        <div class="card attachments" data-testid="attachments">
            <h2>{ "Attachments" }</h2>
            <div class="attach-bar">
                <select aria-label="What the files are" onchange={on_kind} data-field="kind">
                    { for AttachmentKind::ALL.into_iter().map(|k| html! {
                        <option value={k.as_str()} selected={k == *kind}>{ k.label() }</option>
                    }) }
                </select>
                <FilePicker label={if *busy { "Adding…" } else { "Add photos / files" }} class="primary-button"
                            disabled={*busy} testid="add-attachments" input_testid="attachment-input" {accept}
                            {camera} {on_desktop} {on_chosen} />
            </div>
            if let Some(err) = &*error {
                { error_banner(err) }
            }
            if list.is_empty() {
                <p class="secondary">{ "No photos or files yet." }</p>
            }
            if !images.is_empty() {
                <Thumbnails photos={images} testid="thumbnails" />
            }
            if !others.is_empty() {
                <ul class="files" data-testid="files">
                    { for others.iter().map(|a| file_row(a, error.clone())) }
                </ul>
            }
        </div>
    }
}

/// What adding files changes on the card.
#[derive(Clone)]
struct Adder {
    list: UseStateHandle<Vec<Attachment>>,
    error: UseStateHandle<Option<CommandError>>,
    busy: UseStateHandle<bool>,
    on_changed: Callback<WorkOrderDetail>,
}

impl Adder {
    /// Runs an attach to order `id`, busy meanwhile; shows the files it added (and the
    /// order as it now stands), or why it could not.
    fn run(&self, id: WorkOrderId, attach: impl Future<Output = Result<Vec<Attachment>, CommandError>> + 'static) {
        let Adder { list, error, busy, on_changed } = self.clone();
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match attach.await {
                Ok(added) if added.is_empty() => error.set(None),
                Ok(added) => {
                    error.set(None);
                    list.set(list.iter().cloned().chain(added).collect());
                    if let Ok(updated) = ipc::call(commands::GetWorkOrder { id }).await {
                        on_changed.emit(updated);
                    }
                }
                Err(err) => error.set(Some(err)),
            }
            busy.set(false);
        });
    }
}

/// What a browser offers to pick for files of `kind`, and whether a phone opens its
/// camera: before and after photos are taken there and then; an invoice or a quote is
/// as likely a PDF (the desktop's dialog offers photos, videos and PDFs).
fn picking(kind: AttachmentKind) -> (&'static str, bool) {
    match kind {
        AttachmentKind::Before | AttachmentKind::After => ("image/*", true),
        AttachmentKind::Invoice | AttachmentKind::Quote | AttachmentKind::Other => {
            ("image/*,video/*,application/pdf", false)
        }
    }
}

fn facts(attachment: &Attachment) -> String {
    format!(
        "{} · {} · {} · {}, {}",
        attachment.kind.label(),
        attachment.media_type.label().trim_start_matches("a ").trim_start_matches("an "),
        size_label(u64::try_from(attachment.size_bytes).unwrap_or_default()),
        attachment.uploaded_by,
        format::local_date_time(attachment.uploaded_at)
    )
}

#[derive(Properties, PartialEq)]
pub struct ThumbnailsProps {
    pub photos: Vec<Attachment>,
    pub testid: AttrValue,
}

/// Photos as thumbnails; a click opens the viewer (Esc closes it).
#[function_component]
pub fn Thumbnails(props: &ThumbnailsProps) -> Html {
    let viewing = use_state(|| None::<Attachment>);
    let on_view = {
        let viewing = viewing.clone();
        Callback::from(move |attachment: Attachment| viewing.set(Some(attachment)))
    };
    let on_close = {
        let viewing = viewing.clone();
        Callback::from(move |()| viewing.set(None))
    };
    html! {
        <>
            <div class="thumbs" data-testid={props.testid.clone()}>
                { for props.photos.iter().map(|a| html! { <Thumbnail key={a.id.0} attachment={a.clone()} on_view={on_view.clone()} /> }) }
            </div>
            if let Some(attachment) = &*viewing {
                <Viewer attachment={attachment.clone()} {on_close} />
            }
        </>
    }
}

pub fn file_row(attachment: &Attachment, error: UseStateHandle<Option<CommandError>>) -> Html {
    let id = attachment.id;
    let on_open = Callback::from(move |_: MouseEvent| {
        let error = error.clone();
        ipc::call_then(commands::OpenAttachment { id }, move |answer| {
            if let Err(err) = answer {
                error.set(Some(err));
            }
        });
    });
    html! {
        <li class="file-row">
            <div>
                <div class="file-name">{ &attachment.file_name }</div>
                <div class="secondary">{ facts(attachment) }</div>
            </div>
            <button type="button" class="link-button" onclick={on_open} data-testid="open-attachment">{ "Open" }</button>
        </li>
    }
}

/// The image's `data:` URL, loaded once per attachment.
#[hook]
fn use_image(id: AttachmentId) -> Option<Result<String, CommandError>> {
    let data = use_state(|| None);
    {
        let data = data.clone();
        use_effect_with(id, move |id| {
            let id = *id;
            ipc::call_then(commands::AttachmentData { id }, move |answer| data.set(Some(answer)));
        });
    }
    (*data).clone()
}

#[derive(Properties, PartialEq)]
struct ThumbnailProps {
    attachment: Attachment,
    on_view: Callback<Attachment>,
}

#[function_component]
fn Thumbnail(props: &ThumbnailProps) -> Html {
    let image = use_image(props.attachment.id);
    let onclick = {
        let (attachment, on_view) = (props.attachment.clone(), props.on_view.clone());
        Callback::from(move |_: MouseEvent| on_view.emit(attachment.clone()))
    };
    let title = format!("{} — {}", props.attachment.file_name, facts(&props.attachment));
    html! {
        <button type="button" class="thumb" {title} {onclick} data-testid="thumbnail">
            { match image {
                Some(Ok(url)) => html! { <img src={url} alt={props.attachment.file_name.clone()} /> },
                Some(Err(err)) => html! { <span class="thumb-note">{ err.message }</span> },
                None => html! { <span class="thumb-note">{ "…" }</span> },
            } }
            <span class="thumb-kind">{ props.attachment.kind.label() }</span>
        </button>
    }
}

#[derive(Properties, PartialEq)]
struct ViewerProps {
    attachment: Attachment,
    on_close: Callback<()>,
}

/// The photo at the window's size over the page; Esc, a click outside or × closes it.
#[function_component]
fn Viewer(props: &ViewerProps) -> Html {
    let image = use_image(props.attachment.id);
    use_keydown({
        let on_close = props.on_close.clone();
        Callback::from(move |e: web_sys::KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    });
    let close = props.on_close.reform(|_: MouseEvent| ());
    let keep_open = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="attachment-viewer" role="dialog" aria-label={props.attachment.file_name.clone()} onclick={close.clone()} data-testid="viewer">
            <figure onclick={keep_open}>
                { match image {
                    Some(Ok(url)) => html! { <img src={url} alt={props.attachment.file_name.clone()} /> },
                    Some(Err(err)) => error_banner(&err),
                    None => html! { <p>{ "Loading…" }</p> },
                } }
                <figcaption>{ format!("{} — {}", props.attachment.file_name, facts(&props.attachment)) }</figcaption>
            </figure>
            <button type="button" class="viewer-close" aria-label="Close" onclick={close}>{ "×" }</button>
        </div>
    }
}
