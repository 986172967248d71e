//! Files in a browser. The page's file input hands over `File`s, held here behind tokens
//! exactly as the desktop's shell holds the paths its dialog chose (`chosen_files.rs`),
//! so a page attaches them with the same commands; they go up as `multipart/form-data`,
//! one part per file, to the routes the desktop's client uses. A stored file comes down
//! as the browser's own download, named by the server; so does an export, which the
//! server answers its command with (the desktop saves it through its dialog).

use super::for_page;
use crate::ipc::ipc_error;
use plumbline_domain::api::{Attachment, ChosenFile, CommandError, ErrorCode, Field};
use plumbline_domain::{AttachmentKind, WorkOrderId, commands, wire};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FormData, HtmlAnchorElement, Url};

thread_local! {
    static HELD: RefCell<HashMap<u64, File>> = RefCell::new(HashMap::new());
    static LAST_TOKEN: Cell<u64> = const { Cell::new(0) };
    /// The object URL of the last export downloaded (see `keep_until_the_next`).
    static LAST_EXPORT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Holds the picked files; each gets a token for the page.
pub(in crate::ipc) fn hold(files: Vec<File>) -> Vec<ChosenFile> {
    files
        .into_iter()
        .map(|file| {
            let token = LAST_TOKEN.with(|last| {
                last.set(last.get() + 1);
                last.get()
            });
            let chosen = ChosenFile { token, name: file.name(), size_bytes: file.size() as u64 };
            HELD.with(|held| held.borrow_mut().insert(token, file));
            chosen
        })
        .collect()
}

/// The files behind the tokens, no longer held; a token never given (or already used)
/// is refused, and then none is taken — as on the desktop.
fn take(tokens: &[u64]) -> Result<Vec<File>, CommandError> {
    HELD.with(|held| {
        let mut held = held.borrow_mut();
        if let Some(unknown) = tokens.iter().find(|token| !held.contains_key(token)) {
            return Err(CommandError {
                code: ErrorCode::Validation,
                message: format!("File {unknown} was not chosen on this page; choose it again"),
                field: Some(Field::Files),
            });
        }
        Ok(tokens.iter().filter_map(|token| held.remove(token)).collect())
    })
}

fn order_files(id: WorkOrderId, kind: AttachmentKind) -> String {
    format!("/api/v1/work_orders/{}/attachments?kind={}", id.0, kind.as_str())
}

/// Attaches held files to the order as `kind`.
pub(in crate::ipc) async fn attach(
    id: WorkOrderId,
    kind: AttachmentKind,
    tokens: &[u64],
) -> Result<Vec<Attachment>, CommandError> {
    let answer = upload(&order_files(id, kind), &take(tokens)?).await?;
    wire::decode(&answer).map_err(|e| ipc_error(format!("could not read the attachments: {e}")))
}

/// `AttachChosen`: the new request's photos, as "before" photos (as the shell does).
pub(super) async fn attach_chosen(command: commands::AttachChosen) -> Result<Vec<u8>, CommandError> {
    upload(&order_files(command.id, AttachmentKind::Before), &take(&command.tokens)?).await
}

/// `AttachCertificateFile`: the one file, to the certificate's own route.
pub(super) async fn attach_certificate_file(command: commands::AttachCertificateFile) -> Result<Vec<u8>, CommandError> {
    upload(&format!("/api/v1/certificates/{}/file", command.id.0), &take(&[command.token])?).await
}

/// Sends the files, one part each under its own name. No `Content-Type` is set: the
/// browser writes the multipart one, with its boundary.
async fn upload(url: &str, files: &[File]) -> Result<Vec<u8>, CommandError> {
    let failed = |_| ipc_error("could not prepare the files to send");
    let form = FormData::new().map_err(failed)?;
    for file in files {
        form.append_with_blob_and_filename("file", file, &file.name()).map_err(failed)?;
    }
    let headers = super::headers()?;
    let response = super::fetch(url, "POST", &headers, Some(&form.into())).await?;
    super::read(response, "the upload").await
}

/// Has the browser download `url` (the server names the file in `Content-Disposition`)
/// through a link clicked for the user, so the page itself stays where it is.
pub(super) fn download(url: &str) -> Result<Vec<u8>, CommandError> {
    click_link(url, "")?;
    for_page(&())
}

/// Clicks a temporary `<a href=url download=name>` (an empty name: the server's).
fn click_link(url: &str, name: &str) -> Result<(), CommandError> {
    let failed = |_| ipc_error("the browser could not start the download");
    let document = web_sys::window().and_then(|window| window.document()).ok_or_else(|| failed(JsValue::NULL))?;
    let body = document.body().ok_or_else(|| failed(JsValue::NULL))?;
    let link: HtmlAnchorElement =
        document.create_element("a").map_err(failed)?.dyn_into().map_err(|_| failed(JsValue::NULL))?;
    link.set_href(url);
    link.set_download(name);
    body.append_child(&link).map_err(failed)?;
    link.click();
    link.remove();
    Ok(())
}

/// An export command (`ExportWorkOrders`, `ExportWorkOrderPdf`…): posted as any command
/// is; the file it is answered with becomes the browser's download, under the name the
/// server gives. Answers as the desktop's does (`Option<String>`): the file's name where
/// the desktop says the path it saved to. A refusal is the command's own.
pub(super) async fn export(name: &str, args: &JsValue) -> Result<Vec<u8>, CommandError> {
    let response = super::send_command(name, args).await?;
    if !response.ok() {
        return Err(super::refusal(response, name).await);
    }
    let disposition = response.headers().get("Content-Disposition").ok().flatten().unwrap_or_default();
    let file_name = file_name(&disposition).unwrap_or_else(|| "download".to_owned());
    let failed = |_| ipc_error(format!("could not read the file {file_name}"));
    let blob = JsFuture::from(response.blob().map_err(failed)?).await.map_err(failed)?;
    let blob: Blob = blob.dyn_into().map_err(failed)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let clicked = click_link(&url, &file_name);
    keep_until_the_next(url);
    clicked?;
    for_page(&Some(file_name))
}

/// Keeps the blob behind the export just downloaded and frees the one before it.
/// Revoking at once can cut a download short, and the page waits on no timer (the
/// `live` tests hold it to that): the previous download is long done by the time the
/// user asks for another, and the page frees the last when it goes.
fn keep_until_the_next(url: String) {
    if let Some(previous) = LAST_EXPORT.with(|last| last.replace(Some(url))) {
        // Nothing to tell anyone if it fails: the page frees it when it goes.
        let _ = Url::revoke_object_url(&previous);
    }
}

/// The file's name in a `Content-Disposition` header: RFC 6266's `filename*=UTF-8''…`
/// (percent-encoded) first, else a plain `filename=`. Never a path: only what follows
/// the last slash.
fn file_name(disposition: &str) -> Option<String> {
    let parameters = || disposition.split(';').map(str::trim);
    let encoded = parameters().find_map(|parameter| {
        let value = parameter.strip_prefix("filename*=")?;
        let (_charset, encoded) = value.split_once("''")?;
        js_sys::decode_uri_component(encoded).ok().and_then(|name| name.as_string())
    });
    let plain = || {
        parameters()
            .find_map(|parameter| parameter.strip_prefix("filename="))
            .map(|name| name.trim_matches('"').to_owned())
    };
    let name = encoded.or_else(plain)?;
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned();
    (!name.is_empty()).then_some(name)
}
