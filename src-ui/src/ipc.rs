//! The only place that talks to the backend. A call is a command as declared in
//! `plumbline_domain::commands` (`ipc::call(commands::GetWorkOrder { id })`): its name,
//! its arguments and its answer's type all come from that one declaration, so the UI
//! cannot send what the backend does not take. It fails as a `CommandError`, never a
//! bare string. Arguments go as JSON; answers come as bytes (`plumbline_domain::wire`),
//! read here without ever becoming JavaScript objects.
//!
//! Two transports, chosen once when the page starts, and pages do not know which:
//! - inside the desktop shell (`window.__TAURI__` is there): Tauri's `invoke` of the
//!   shell's handler of the same name (`tauri.rs`);
//! - in a browser, served by the agency server (the web portal): `fetch` of
//!   `POST /api/v1/<command>`, the very route the desktop's client uses, on the session's
//!   cookie (`web.rs`). The few commands of the desktop's own computer (its file dialog,
//!   its apps) have the browser's way there where one exists (a download, a file input
//!   whose files are held here behind the same tokens the dialog gives), and the
//!   controls that have none are not shown in a browser (`in_browser`).

use plumbline_domain::api::{Attachment, ChosenFile, CommandError, ErrorCode};
use plumbline_domain::{AttachmentKind, Command, WorkOrderId, wire};
use std::cell::RefCell;
use wasm_bindgen::JsValue;
use yew::Callback;

mod tauri;
mod web;

thread_local! {
    /// Told when a command finds its session ended (`session::guard`).
    static ON_SESSION_ENDED: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
    /// Whether this page runs in a browser rather than the desktop shell: looked at
    /// once, as the shell's global never comes or goes while the page lives.
    static IN_BROWSER: bool = !tauri::present();
}

/// Who is told when any command is refused because its session has ended.
pub fn on_session_ended(callback: Option<Callback<()>>) {
    ON_SESSION_ENDED.with(|held| *held.borrow_mut() = callback);
}

/// Whether the page runs in a browser (the agency server's web portal), not the desktop
/// shell: for the few controls only one of them has.
pub fn in_browser() -> bool {
    IN_BROWSER.with(|in_browser| *in_browser)
}

fn ipc_error(message: impl Into<String>) -> CommandError {
    CommandError { code: ErrorCode::Ipc, message: message.into(), field: None }
}

/// Sends `command` to the backend and reads its answer (or its refusal).
pub async fn call<C: Command>(command: C) -> Result<C::Answer, CommandError> {
    read(C::NAME, Request::of(&command).send().await)
}

/// Sends `command` and hands its answer (or its refusal) to `then`: for a control's
/// action, whose answer is used once. Waiting for it is not generic, so an action costs
/// the wasm a closure rather than a future of its own (#17).
pub fn call_then<C: Command>(command: C, then: impl FnOnce(Result<C::Answer, CommandError>) + 'static) {
    let then: Box<dyn FnOnce(Result<Vec<u8>, CommandError>)> = Box::new(move |answer| then(read(C::NAME, answer)));
    send_then(Request::of(&command), then);
}

/// Sends `request` and hands its answer's bytes to `then`: the one future every action
/// and every screen's read waits in.
pub fn send_then(request: Request, then: Box<dyn FnOnce(Result<Vec<u8>, CommandError>)>) {
    wasm_bindgen_futures::spawn_local(async move { then(request.send().await) });
}

/// A command ready to send: its name and its JSON arguments. Sending it and waiting is
/// not generic, so that code is in the wasm once, not once for each command; only the
/// arguments' writing and the answer's reading are (#17).
pub struct Request {
    name: &'static str,
    args: Result<JsValue, CommandError>,
}

impl Request {
    pub fn of<C: Command>(command: &C) -> Self {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let args = command.serialize(&serializer).map_err(|e| ipc_error(format!("could not send {}: {e}", C::NAME)));
        Self { name: C::NAME, args }
    }

    /// The answer's bytes, or the refusal (one that could not be sent is its own).
    async fn send(self) -> Result<Vec<u8>, CommandError> {
        send(self.name, self.args?).await
    }
}

/// As `call`, but takes the answer the page's loader asked the desktop shell for while
/// this code compiled, if it asked for this command and nobody took it yet (`Trunk.toml`):
/// the first screen then waits for the shell no longer than the wasm took to compile.
pub async fn call_early<C: Command>(command: C) -> Result<C::Answer, CommandError> {
    let early = if in_browser() { None } else { tauri::early(C::NAME).await };
    match early {
        Some(answer) => read(C::NAME, told_if_ended(answer)),
        None => call(command).await,
    }
}

/// A command's answer as its Rust type, or its refusal as it came.
pub fn read<A: serde::de::DeserializeOwned>(
    name: &str,
    answer: Result<Vec<u8>, CommandError>,
) -> Result<A, CommandError> {
    wire::decode(&answer?).map_err(|e| ipc_error(format!("could not read the answer to {name}: {e}")))
}

/// Sends a command's JSON arguments through this page's transport; its answer's bytes.
/// Not generic, so its code is there once, not once for each command.
async fn send(name: &'static str, args: JsValue) -> Result<Vec<u8>, CommandError> {
    let answer = if in_browser() { web::send(name, args).await } else { tauri::send(name, args).await };
    told_if_ended(answer)
}

/// Tells `on_session_ended`'s callback when `answer` says the session has ended.
fn told_if_ended(answer: Result<Vec<u8>, CommandError>) -> Result<Vec<u8>, CommandError> {
    if answer.as_ref().is_err_and(|error| error.code == ErrorCode::NotSignedIn) {
        // Cloned out first: the callback may replace itself.
        let told = ON_SESSION_ENDED.with(|held| held.borrow().clone());
        if let Some(told) = told {
            told.emit(());
        }
    }
    answer
}

/// In a browser: holds the files picked in the page's file input behind tokens, as the
/// desktop's dialog holds the paths it chose, so `AttachChosen` and
/// `AttachCertificateFile` take them the same way.
pub fn hold_files(files: Vec<web_sys::File>) -> Vec<ChosenFile> {
    web::hold(files)
}

/// In a browser: attaches held files to the order as `kind` (the desktop's
/// `PickAndAttach` both chooses and attaches, in the shell's dialog).
pub async fn attach_chosen_as(
    id: WorkOrderId,
    kind: AttachmentKind,
    tokens: Vec<u64>,
) -> Result<Vec<Attachment>, CommandError> {
    if !in_browser() {
        return Err(ipc_error("the desktop attaches the files it chose itself"));
    }
    web::attach(id, kind, &tokens).await
}
