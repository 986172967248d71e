//! Copying text for the user (a temporary password to paste into a message), through
//! the webview's asynchronous clipboard. Looked up at run time, so a webview without
//! it only means the user copies by hand.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Puts `text` on the clipboard; false when the webview would not.
pub async fn copy(text: &str) -> bool {
    match write_text(text) {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

fn write_text(text: &str) -> Result<Promise, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let navigator = Reflect::get(window.as_ref(), &"navigator".into())?;
    let clipboard = Reflect::get(&navigator, &"clipboard".into())?;
    let write = Reflect::get(&clipboard, &"writeText".into())?.dyn_into::<Function>()?;
    write.call1(&clipboard, &text.into())?.dyn_into::<Promise>()
}
