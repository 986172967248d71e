//! In a browser, served by the agency server: each command is `POST /api/v1/<command>`
//! with its JSON arguments, the very route and body the desktop's client sends. The
//! session is the server's `HttpOnly` cookie, which the page never sees; what the page
//! adds is the session's security token (`X-CSRF-Token`), which the server hands out
//! with `session` and `sign_in` and which this module keeps in memory only. A refusal
//! comes back as the same `CommandError` JSON the desktop gets. Answers are asked for,
//! and come, as the bytes the page reads (`plumbline_domain::wire`).

use super::ipc_error;
use plumbline_domain::api::{CommandError, ErrorCode};
use plumbline_domain::{Command, commands, wire};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, Response};

mod files;
mod here;

pub(super) use files::{attach, hold};

/// Where the server answers commands.
const API: &str = "/api/v1";
/// What every request says it comes from: the server treats the web portal's requests
/// (cookie, security token, who may use it) apart from a desktop's.
const CLIENT: (&str, &str) = ("X-Plumbline-Client", "web");
const CSRF_HEADER: &str = "X-CSRF-Token";

thread_local! {
    /// The session's security token, as the server last gave it. Never written to local
    /// or session storage: it goes with the page, and with the session.
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub(super) async fn send(name: &str, args: JsValue) -> Result<Vec<u8>, CommandError> {
    match here::answer(name, args.clone()).await {
        Some(answer) => answer,
        None => post(name, &args).await,
    }
}

/// An answer made in the page, as the bytes the server would have sent.
fn for_page<T: serde::Serialize>(answer: &T) -> Result<Vec<u8>, CommandError> {
    wire::encode(answer).map_err(|e| ipc_error(format!("could not write the answer: {e}")))
}

/// Runs a command on the server.
async fn post(name: &str, args: &JsValue) -> Result<Vec<u8>, CommandError> {
    let response = send_command(name, args).await?;
    keep_token(name, &response);
    read(response, name).await
}

/// Posts a command's JSON arguments (with the page's token): the server's response, as
/// it came.
async fn send_command(name: &str, args: &JsValue) -> Result<Response, CommandError> {
    let body = js_sys::JSON::stringify(args).map_err(|_| ipc_error(format!("could not send {name}")))?;
    let headers = headers()?;
    headers.set("Content-Type", "application/json").map_err(|_| ipc_error(format!("could not send {name}")))?;
    fetch(&format!("{API}/{name}"), "POST", &headers, Some(&body.into())).await
}

/// Keeps the security token the session commands answer with: a new one with each
/// session, none once signed out (or when there is no session to have one).
fn keep_token(name: &str, response: &Response) {
    let told = response.headers().get(CSRF_HEADER).ok().flatten();
    let session_command = [commands::Session::NAME, commands::SignIn::NAME, commands::SignOut::NAME].contains(&name);
    if told.is_some() || session_command {
        CSRF_TOKEN.with(|token| *token.borrow_mut() = told);
    }
}

/// The headers of a request the page makes: who it comes from, that answers are to come
/// as bytes, and, once there is a session, its security token.
fn headers() -> Result<Headers, CommandError> {
    let failed = |_| ipc_error("could not write the request's headers");
    let headers = Headers::new().map_err(failed)?;
    headers.set(CLIENT.0, CLIENT.1).map_err(failed)?;
    headers.set("Accept", wire::MEDIA_TYPE).map_err(failed)?;
    if let Some(token) = CSRF_TOKEN.with(|token| token.borrow().clone()) {
        headers.set(CSRF_HEADER, &token).map_err(failed)?;
    }
    Ok(headers)
}

/// Sends a same-origin request, the session's cookie with it.
async fn fetch(url: &str, method: &str, headers: &Headers, body: Option<&JsValue>) -> Result<Response, CommandError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(headers);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = body {
        init.set_body(body);
    }
    let window = web_sys::window().ok_or_else(|| ipc_error("this page has no window to send from"))?;
    // `fetch` fails only when no answer came at all: the network, not the server.
    let answered = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| unreachable())?;
    answered.dyn_into::<Response>().map_err(|_| ipc_error("the browser's answer was not a response"))
}

fn unreachable() -> CommandError {
    ipc_error("Could not reach the agency server: check your internet connection, then try again.")
}

/// A command's answer, as its bytes; when it is not a 2xx, its refusal (`refusal`).
async fn read(response: Response, what: &str) -> Result<Vec<u8>, CommandError> {
    if !response.ok() {
        return Err(refusal(response, what).await);
    }
    // The server answers JSON to a page of another version than its own (`wire`).
    let content_type = response.headers().get("Content-Type").ok().flatten();
    if content_type.as_deref() != Some(wire::MEDIA_TYPE) {
        return Err(ipc_error(
            "Plumbline on the agency server has been updated since this page opened: reload the page.",
        ));
    }
    let failed = |_| ipc_error(format!("could not read the answer to {what}"));
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(|_| unreachable())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The JSON answer of a route that is not a command's (`/healthz`); when it is not a
/// 2xx, its refusal (`refusal`).
async fn read_json(response: Response, what: &str) -> Result<JsValue, CommandError> {
    if !response.ok() {
        return Err(refusal(response, what).await);
    }
    js_sys::JSON::parse(&text(&response).await?).map_err(|_| ipc_error(format!("could not read the answer to {what}")))
}

/// The `CommandError` a response that is not a 2xx carries as JSON, or one that says
/// what came instead (a proxy's page).
async fn refusal(response: Response, what: &str) -> CommandError {
    let error = match text(&response).await {
        Ok(text) => js_sys::JSON::parse(&text).ok().and_then(|value| serde_wasm_bindgen::from_value(value).ok()),
        Err(_) => None,
    };
    error.unwrap_or_else(|| refused(&response, what))
}

/// The response's body as text (empty when there is none to read).
async fn text(response: &Response) -> Result<String, CommandError> {
    match response.text() {
        Ok(text) => Ok(JsFuture::from(text).await.map_err(|_| unreachable())?.as_string().unwrap_or_default()),
        Err(_) => Ok(String::new()),
    }
}

/// A refusal without the server's own error: by its status.
fn refused(response: &Response, what: &str) -> CommandError {
    match response.status() {
        401 => CommandError {
            code: ErrorCode::NotSignedIn,
            message: "Your session has ended: sign in again.".to_owned(),
            field: None,
        },
        status => ipc_error(format!("The agency server did not answer {what} ({status} {})", response.status_text())),
    }
}
