//! Ending a session in the window: when the backend says it has ended (signed out
//! elsewhere, the password changed or reset, the account deactivated, the agency's idle
//! time passed without a command), and when no one has touched this window for the
//! agency's idle time — an unattended desk must not stay signed in.

use crate::ipc;
use crate::live::use_event;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// What the backend emits (`src-tauri/src/live.rs` names the same).
const SESSION_ENDED_EVENT: &str = "plumbline://session-ended";

/// What counts as someone at the desk.
const ACTIVITY: [&str; 4] = ["keydown", "pointerdown", "pointermove", "wheel"];

/// How often the idle time is looked at: a sign-out up to this late is no risk.
const CHECK_EVERY_MS: i32 = 15_000;

/// Why the window is signing out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The backend refused the session.
    Ended,
    /// No key or pointer for this many minutes.
    Idle { minutes: i64 },
}

impl SessionEnd {
    pub fn notice(self) -> String {
        match self {
            SessionEnd::Ended => "Your session has ended: sign in again.".to_owned(),
            SessionEnd::Idle { minutes } => {
                format!("You were signed out after {minutes} minutes without activity, as your agency asks.")
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct SessionGuardProps {
    pub idle_minutes: i64,
    pub on_end: Callback<SessionEnd>,
}

#[function_component]
pub fn SessionGuard(props: &SessionGuardProps) -> Html {
    use_event::<()>(SESSION_ENDED_EVENT, props.on_end.reform(|()| SessionEnd::Ended));
    {
        let on_end = props.on_end.clone();
        use_effect_with(on_end, |on_end| {
            ipc::on_session_ended(Some(on_end.reform(|()| SessionEnd::Ended)));
            || ipc::on_session_ended(None)
        });
    }
    use_idle_sign_out(props.idle_minutes, props.on_end.clone());
    html! {}
}

/// Calls `on_end` once after `minutes` without a key or pointer in the document.
#[hook]
fn use_idle_sign_out(minutes: i64, on_end: Callback<SessionEnd>) {
    use_effect_with((minutes, on_end), |(minutes, on_end)| {
        let minutes = *minutes;
        let last_active = Rc::new(Cell::new(js_sys::Date::now()));
        let touched = {
            let last_active = Rc::clone(&last_active);
            Closure::<dyn Fn()>::new(move || last_active.set(js_sys::Date::now()))
        };
        let fired = Rc::new(Cell::new(false));
        let check = {
            let on_end = on_end.clone();
            Closure::<dyn Fn()>::new(move || {
                let idle_ms = js_sys::Date::now() - last_active.get();
                if !fired.get() && idle_ms >= (minutes * 60_000) as f64 {
                    fired.set(true);
                    on_end.emit(SessionEnd::Idle { minutes });
                }
            })
        };
        let window = web_sys::window();
        let document = window.as_ref().and_then(|w| w.document());
        if let Some(document) = &document {
            for event in ACTIVITY {
                let _ = document.add_event_listener_with_callback(event, touched.as_ref().unchecked_ref());
            }
        }
        let interval = window.as_ref().and_then(|w| {
            w.set_interval_with_callback_and_timeout_and_arguments_0(check.as_ref().unchecked_ref(), CHECK_EVERY_MS)
                .ok()
        });
        move || {
            if let Some(document) = &document {
                for event in ACTIVITY {
                    let _ = document.remove_event_listener_with_callback(event, touched.as_ref().unchecked_ref());
                }
            }
            if let (Some(window), Some(interval)) = (&window, interval) {
                window.clear_interval_with_handle(interval);
            }
            drop((touched, check));
        }
    });
}
