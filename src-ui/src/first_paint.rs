//! Marks when the window first showed a screen (`performance.mark`), two animation frames
//! after it is in the DOM: `scripts/bench.sh` reads it to time a cold start as the user
//! sees it, not only the window mapped. A mark when the UI's code starts splits that time
//! into loading the page's code and drawing its first screen.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub const FIRST_SCREEN_MARK: &str = "plumbline-first-screen";
const STARTED_MARK: &str = "plumbline-ui-started";

/// Marks the wasm running: fetched, compiled and instantiated.
pub fn mark_started() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(STARTED_MARK);
    }
}

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
