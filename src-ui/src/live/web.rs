//! In a browser: the agency server's change feed as server-sent events,
//! `new EventSource("/api/v1/changes")` on the session's cookie. Each event's `data` is a
//! `Change` and its `id` the change's id. After a dropped connection the browser
//! reconnects by itself, sending the last id as `Last-Event-ID`, so nothing made
//! meanwhile is missed; the stream's `open` and `error` are the connection's state.
//!
//! The browser gives up only when the server answered with something other than a
//! stream (a session that ended: 401; a proxy's error page). Then one command asks the
//! server where things stand: a session that ended is reported by `ipc` as every
//! refused command is (the sign-in screen follows), and a server that answers is
//! followed again from the last change seen. Otherwise the page waits for the browser
//! to say it is back (`online`, the window's `focus`): no timer re-reads anything.

use super::{Live, LiveAction};
use crate::ipc;
use chrono::DateTime;
use plumbline_domain::api::{Change, LiveConnection};
use plumbline_domain::commands;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, MessageEvent};
use yew::prelude::*;

const CHANGES: &str = "/api/v1/changes";
/// After this long without the stream, "reconnecting" becomes "offline", as on the
/// desktop (`src-tauri/src/live.rs`).
const OFFLINE_AFTER_MS: f64 = 30_000.0;
/// What tells the page the browser may reach the server again.
const BACK_EVENTS: [&str; 2] = ["online", "focus"];

/// The page's following of the feed.
#[derive(Clone)]
pub(super) struct Feed(Rc<FeedInner>);

struct FeedInner {
    dispatcher: UseReducerDispatcher<Live>,
    state: RefCell<FeedState>,
}

#[derive(Default)]
struct FeedState {
    source: Option<EventSource>,
    /// The open stream's handlers, alive as long as it is.
    handlers: Vec<Closure<dyn Fn(JsValue)>>,
    /// The window's "back" listener.
    on_back: Option<Closure<dyn Fn(JsValue)>>,
    /// The id of the last change seen, to resume after.
    last_id: Option<String>,
    /// Since when the stream has been down, in the browser's milliseconds, and how many
    /// tries the browser has made since.
    down_since: Option<f64>,
    attempt: u32,
    /// Whether the current stream ever opened: only then is one the browser gave up on
    /// opened again at once (never in a loop against a server that keeps refusing).
    opened: bool,
    stopped: bool,
}

/// Follows the server's stream into the desk's `Live`.
pub(super) fn follow(dispatcher: UseReducerDispatcher<Live>) -> Feed {
    let feed = Feed(Rc::new(FeedInner { dispatcher, state: RefCell::default() }));
    feed.listen_for_back();
    feed.open();
    feed
}

impl Feed {
    /// Opens the stream, after the last change seen if there was one (a new
    /// `EventSource` sends no `Last-Event-ID`: the server takes `?after=` instead).
    fn open(&self) {
        let url = match &*self.0.state.borrow() {
            FeedState { stopped: true, .. } => return,
            FeedState { last_id: Some(id), .. } => format!("{CHANGES}?after={id}"),
            FeedState { last_id: None, .. } => CHANGES.to_owned(),
        };
        let source = match EventSource::new(&url) {
            Ok(source) => source,
            Err(error) => return web_sys::console::error_2(&"could not follow the changes".into(), &error),
        };
        let handlers = [
            ("message", self.handler(|feed, event| feed.received(event))),
            ("open", self.handler(|feed, _| feed.opened())),
            ("error", self.handler(|feed, _| feed.dropped())),
        ];
        for (event, handler) in &handlers {
            let _ = source.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        }
        let handlers: Vec<_> = handlers.into_iter().map(|(_, handler)| handler).collect();
        let (old, old_handlers) = {
            let mut state = self.0.state.borrow_mut();
            state.opened = false;
            (state.source.replace(source), std::mem::replace(&mut state.handlers, handlers))
        };
        if let Some(old) = old {
            old.close();
        }
        retire(old_handlers);
    }

    fn handler(&self, on: fn(&Feed, JsValue)) -> Closure<dyn Fn(JsValue)> {
        let feed = self.clone();
        Closure::new(move |event: JsValue| on(&feed, event))
    }

    fn received(&self, event: JsValue) {
        let Ok(message) = event.dyn_into::<MessageEvent>() else { return };
        let change = message
            .data()
            .as_string()
            .and_then(|data| js_sys::JSON::parse(&data).ok())
            .map(serde_wasm_bindgen::from_value::<Change>);
        match change {
            Some(Ok(change)) => {
                self.0.state.borrow_mut().last_id = Some(message.last_event_id());
                self.0.dispatcher.dispatch(LiveAction::Changed(change));
            }
            Some(Err(error)) => web_sys::console::error_1(&format!("a change could not be read: {error}").into()),
            None => web_sys::console::error_1(&"a change could not be read".into()),
        }
    }

    fn opened(&self) {
        {
            let mut state = self.0.state.borrow_mut();
            state.opened = true;
            state.down_since = None;
            state.attempt = 0;
        }
        self.0.dispatcher.dispatch(LiveAction::Connection(LiveConnection::Connected));
    }

    /// The stream dropped: the browser is trying again, or (closed) has given up.
    fn dropped(&self) {
        let now = js_sys::Date::now();
        let (connection, gave_up) = {
            let mut state = self.0.state.borrow_mut();
            let gave_up = state.source.as_ref().is_some_and(|source| source.ready_state() == EventSource::CLOSED);
            let down_since = *state.down_since.get_or_insert(now);
            state.attempt += 1;
            let since = DateTime::from_timestamp_millis(down_since as i64).unwrap_or_default();
            let connection = if gave_up || now - down_since >= OFFLINE_AFTER_MS {
                LiveConnection::Offline { since }
            } else {
                LiveConnection::Reconnecting { since, attempt: state.attempt }
            };
            (connection, gave_up)
        };
        self.0.dispatcher.dispatch(LiveAction::Connection(connection));
        if gave_up {
            self.ask_where_things_stand();
        }
    }

    /// After the browser gave up: one command tells whether the session ended (`ipc`
    /// then reports it) or the server answers, and the feed is opened again if the
    /// stream had been working.
    fn ask_where_things_stand(&self) {
        let feed = self.clone();
        ipc::call_then(commands::Notifications {}, move |answer| {
            let answers = answer.is_ok();
            let again = {
                let state = feed.0.state.borrow();
                answers && state.opened && !state.stopped
            };
            if again {
                feed.open();
            }
        });
    }

    /// Opens the stream again when the browser says it may reach the server, if the
    /// browser has given up on it.
    fn listen_for_back(&self) {
        let feed = self.clone();
        let on_back = Closure::<dyn Fn(JsValue)>::new(move |_: JsValue| {
            let closed = {
                let state = feed.0.state.borrow();
                !state.stopped && state.source.as_ref().is_none_or(|source| source.ready_state() == EventSource::CLOSED)
            };
            if closed {
                feed.open();
            }
        });
        if let Some(window) = web_sys::window() {
            for event in BACK_EVENTS {
                let _ = window.add_event_listener_with_callback(event, on_back.as_ref().unchecked_ref());
            }
        }
        self.0.state.borrow_mut().on_back = Some(on_back);
    }

    /// Closes the stream and removes every listener (the desk closed: signing out).
    pub(super) fn stop(&self) {
        let (source, handlers, on_back) = {
            let mut state = self.0.state.borrow_mut();
            state.stopped = true;
            (state.source.take(), std::mem::take(&mut state.handlers), state.on_back.take())
        };
        if let Some(source) = source {
            source.close();
        }
        if let (Some(window), Some(on_back)) = (web_sys::window(), &on_back) {
            for event in BACK_EVENTS {
                let _ = window.remove_event_listener_with_callback(event, on_back.as_ref().unchecked_ref());
            }
        }
        retire(handlers.into_iter().chain(on_back).collect());
    }
}

/// Drops handlers a moment later, not now: one of them may be the very handler
/// running (a change that ends the desk), which must not be freed under itself.
fn retire(handlers: Vec<Closure<dyn Fn(JsValue)>>) {
    wasm_bindgen_futures::spawn_local(async move { drop(handlers) });
}
