//! Inside the desktop shell: the changes, the connection's state and the shell's other
//! events (an import's or export's progress) arrive as Tauri events.

use super::{Live, LiveAction};
use plumbline_domain::api::{Change, LiveConnection};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// What the backend emits (`src-tauri/src/live.rs` names the same).
const CHANGE_EVENT: &str = "plumbline://change";
const CONNECTION_EVENT: &str = "plumbline://connection";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn Fn(JsValue)>) -> Result<JsValue, JsValue>;
}

/// Follows the shell's changes and connection events into the desk's `Live`.
pub(super) fn follow(dispatcher: UseReducerDispatcher<Live>) -> Listening {
    let listening = Listening::default();
    let handlers = [
        (CHANGE_EVENT, payload_handler::<Change>(dispatcher.clone(), LiveAction::Changed)),
        (CONNECTION_EVENT, payload_handler::<LiveConnection>(dispatcher, LiveAction::Connection)),
    ];
    for (event, handler) in handlers {
        listening.listen(event, handler);
    }
    listening
}

/// Calls the newest `on` with each `event`'s payload.
pub(super) fn listen<T>(event: &'static str, newest: Rc<RefCell<Callback<T>>>) -> Listening
where
    T: serde::de::DeserializeOwned + 'static,
{
    let listening = Listening::default();
    let handler = Closure::new(move |raised: JsValue| match payload::<T>(&raised) {
        Ok(payload) => {
            let on = newest.borrow().clone();
            on.emit(payload);
        }
        Err(error) => web_sys::console::error_1(&format!("{event} could not be read: {error}").into()),
    });
    listening.listen(event, handler);
    listening
}

/// The desk's listeners: kept while it is open, removed when it closes (signing out),
/// even one whose `listen` answers only after that.
#[derive(Clone, Default)]
pub(super) struct Listening(Rc<RefCell<ListeningState>>);

#[derive(Default)]
struct ListeningState {
    stopped: bool,
    unlisten: Vec<js_sys::Function>,
    handlers: Vec<Closure<dyn Fn(JsValue)>>,
}

impl Listening {
    /// Asks the shell for `event`; its answer (the way to stop) comes later.
    fn listen(&self, event: &'static str, handler: Closure<dyn Fn(JsValue)>) {
        let listening = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match tauri_listen(event, &handler).await {
                Ok(unlisten) => listening.add(unlisten.into(), handler),
                Err(error) => web_sys::console::error_2(&format!("could not follow {event}").into(), &error),
            }
        });
    }

    fn add(&self, unlisten: js_sys::Function, handler: Closure<dyn Fn(JsValue)>) {
        let mut state = self.0.borrow_mut();
        if state.stopped {
            let _ = unlisten.call0(&JsValue::NULL);
            return;
        }
        state.unlisten.push(unlisten);
        state.handlers.push(handler);
    }

    pub(super) fn stop(&self) {
        let mut state = self.0.borrow_mut();
        state.stopped = true;
        for unlisten in state.unlisten.drain(..) {
            let _ = unlisten.call0(&JsValue::NULL);
        }
        state.handlers.clear();
    }
}

/// A Tauri event's `payload`, as a `T`.
fn payload<T: serde::de::DeserializeOwned>(event: &JsValue) -> Result<T, serde_wasm_bindgen::Error> {
    let payload = js_sys::Reflect::get(event, &"payload".into()).unwrap_or(JsValue::NULL);
    serde_wasm_bindgen::from_value::<T>(payload)
}

/// A handler for a Tauri event whose `payload` is a `T`.
fn payload_handler<T: serde::de::DeserializeOwned + 'static>(
    dispatcher: UseReducerDispatcher<Live>,
    action: fn(T) -> LiveAction,
) -> Closure<dyn Fn(JsValue)> {
    Closure::new(move |event: JsValue| match payload::<T>(&event) {
        Ok(payload) => dispatcher.dispatch(action(payload)),
        Err(error) => web_sys::console::error_1(&format!("an event could not be read: {error}").into()),
    })
}
