//! Inside the desktop shell: each command is Tauri's `invoke` of the shell's handler of
//! the same name, with the command's fields as its named arguments.

use super::ipc_error;
use plumbline_domain::api::CommandError;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Whether the shell's global is there (the shell sets it before the page runs).
pub(super) fn present() -> bool {
    web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window, &"__TAURI__".into()).ok())
        .is_some_and(|tauri| !tauri.is_undefined() && !tauri.is_null())
}

pub(super) async fn send(name: &str, args: JsValue) -> Result<Vec<u8>, CommandError> {
    bytes(name, tauri_invoke(name, args).await)
}

/// The answer to `name` that the page's loader asked for before this code ran
/// (`window.plumblineEarly`, `Trunk.toml`), once: taken, so the next call asks again.
pub(super) async fn early(name: &str) -> Option<Result<Vec<u8>, CommandError>> {
    let window = web_sys::window()?;
    let asked = js_sys::Reflect::get(&window, &"plumblineEarly".into()).ok()?;
    let answer = js_sys::Reflect::get(&asked, &name.into()).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    js_sys::Reflect::delete_property(asked.unchecked_ref::<js_sys::Object>(), &name.into()).ok()?;
    Some(bytes(name, JsFuture::from(answer).await))
}

/// The shell's answer to `name`: the bytes it sent (an `ArrayBuffer`), or its refusal.
fn bytes(name: &str, answer: Result<JsValue, JsValue>) -> Result<Vec<u8>, CommandError> {
    let answer = answer.map_err(|error| refusal(name, error))?;
    match answer.dyn_into::<js_sys::ArrayBuffer>() {
        Ok(buffer) => Ok(js_sys::Uint8Array::new(&buffer).to_vec()),
        Err(_) => Err(ipc_error(format!("the answer to {name} was not the shell's bytes"))),
    }
}

/// The shell's refusal as the `CommandError` it sent, or as what little the webview said.
fn refusal(name: &str, error: JsValue) -> CommandError {
    serde_wasm_bindgen::from_value(error.clone())
        .unwrap_or_else(|_| ipc_error(error.as_string().unwrap_or_else(|| format!("{name} failed"))))
}
