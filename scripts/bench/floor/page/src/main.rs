//! A table of 100 rows, then the same marks Plumbline's page sets: its code started, and
//! its first screen painted (two animation frames after it is in the DOM).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

#[function_component]
fn Floor() -> Html {
    use_effect_with((), |()| mark_after_two_frames("plumbline-first-screen"));
    html! {
        <main>
            <table>
                <thead><tr><th>{ "Row" }</th><th>{ "Text" }</th></tr></thead>
                <tbody>
                    { for (1..=100).map(|n| html! { <tr><td>{ n }</td><td>{ format!("Row number {n}") }</td></tr> }) }
                </tbody>
            </table>
        </main>
    }
}

fn mark_after_two_frames(name: &'static str) {
    let Some(window) = web_sys::window() else { return };
    let mark = Closure::once_into_js(move || {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(name);
        }
    });
    let next = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(mark.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(next.unchecked_ref());
}

fn main() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("plumbline-ui-started");
    }
    yew::Renderer::<Floor>::new().render();
}
