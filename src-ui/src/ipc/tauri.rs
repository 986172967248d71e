//! Inside the desktop shell: each command is Tauri's `invoke` of the shell's handler of
//! the same name, with the command's fields as its named arguments.

use super::ipc_error;
use plumbline_domain::api::CommandError;
use wasm_bindgen::prelude::*;

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

pub(super) async fn send(name: &str, args: JsValue) -> Result<JsValue, CommandError> {
    tauri_invoke(name, args).await.map_err(|error| {
        serde_wasm_bindgen::from_value(error.clone())
            .unwrap_or_else(|_| ipc_error(error.as_string().unwrap_or_else(|| format!("{name} failed"))))
    })
}
