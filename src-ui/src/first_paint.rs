//! Marks when the window first showed a screen (`performance.mark`), two animation frames
//! after it is in the DOM: `scripts/bench.sh` reads it to time a cold start as the user
//! sees it, not only the window mapped.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub const FIRST_SCREEN_MARK: &str = "plumbline-first-screen";

pub fn mark_first_screen() {
    let mark = Closure::once_into_js(|| {
        if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
            let _ = performance.mark(FIRST_SCREEN_MARK);
        }
    });
    let next_frame = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(mark.unchecked_ref());
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(next_frame.unchecked_ref());
    }
}
