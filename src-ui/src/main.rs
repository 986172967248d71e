//! Plumbline's frontend: Yew function components, all IO through `ipc`.

mod app;
mod clipboard;
mod components;
mod first_paint;
mod format;
mod ipc;
mod keyboard;
mod live;
mod navigation;
mod pages;
mod session;
mod theme;

fn main() {
    first_paint::mark_started();
    theme::apply(theme::saved());
    theme::mark_webkitgtk();
    yew::Renderer::<session::Root>::new().render();
}
