//! The only place that talks to the backend. A call is a command as declared in
//! `plumbline_domain::commands` (`ipc::call(commands::GetWorkOrder { id })`): its name,
//! its arguments and its answer's type all come from that one declaration, so the UI
//! cannot send what the backend does not take. It fails as a `CommandError`, never a
//! bare string.

use plumbline_domain::Command;
use plumbline_domain::api::{CommandError, ErrorCode};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use yew::Callback;

thread_local! {
    /// Told when a command finds its session ended (`session::guard`).
    static ON_SESSION_ENDED: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
}

/// Who is told when any command is refused because its session has ended.
pub fn on_session_ended(callback: Option<Callback<()>>) {
    ON_SESSION_ENDED.with(|held| *held.borrow_mut() = callback);
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

fn ipc_error(message: impl Into<String>) -> CommandError {
    CommandError { code: ErrorCode::Ipc, message: message.into(), field: None }
}

/// Sends `command` to the backend and reads its answer (or its refusal).
pub async fn call<C: Command>(command: C) -> Result<C::Answer, CommandError> {
    let name = C::NAME;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = command.serialize(&serializer).map_err(|e| ipc_error(format!("could not send {name}: {e}")))?;
    let answer = match tauri_invoke(name, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| ipc_error(format!("could not read the answer to {name}: {e}"))),
        Err(error) => Err(serde_wasm_bindgen::from_value(error.clone())
            .unwrap_or_else(|_| ipc_error(error.as_string().unwrap_or_else(|| format!("{name} failed"))))),
    };
    if answer.as_ref().is_err_and(|error: &CommandError| error.code == ErrorCode::NotSignedIn) {
        // Cloned out first: the callback may replace itself.
        let told = ON_SESSION_ENDED.with(|held| held.borrow().clone());
        if let Some(told) = told {
            told.emit(());
        }
    }
    answer
}
