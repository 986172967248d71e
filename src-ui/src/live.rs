//! The agency as it changes. In the desktop shell, the backend follows the change feed
//! (this computer's store, or the agency server's stream) and emits each change the
//! signed-in user may see, and the state of that connection, as Tauri events
//! (`tauri.rs`); in a browser, the page follows the agency server's stream itself
//! (`web.rs`). `LiveProvider` turns either into one context, and a screen follows what
//! concerns it with `use_load`, which reads again on such a change while keeping what is
//! on screen (and drops an answer a newer read has overtaken).

use crate::ipc;
use plumbline_domain::Command;
use plumbline_domain::api::{Change, CommandError, LiveConnection};
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use yew::prelude::*;

mod tauri;
mod web;

/// Changes kept for screens that render less often than changes arrive.
const KEPT: usize = 64;

/// The changes seen since the desk opened (the newest `KEPT`), numbered from 1, and the
/// connection's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Live {
    recent: Vec<Change>,
    /// How many changes have arrived in all: the number of the newest.
    count: u64,
    pub connection: LiveConnection,
}

pub enum LiveAction {
    Changed(Change),
    Connection(LiveConnection),
}

impl Reducible for Live {
    type Action = LiveAction;

    fn reduce(self: Rc<Self>, action: LiveAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LiveAction::Changed(change) => {
                next.count += 1;
                next.recent.push(change);
                let extra = next.recent.len().saturating_sub(KEPT);
                next.recent.drain(..extra);
            }
            LiveAction::Connection(connection) => next.connection = connection,
        }
        Rc::new(next)
    }
}

impl Live {
    /// The changes after number `seen`, oldest first (at most the newest `KEPT`).
    fn since(&self, seen: u64) -> impl Iterator<Item = &Change> {
        let new = usize::try_from(self.count.saturating_sub(seen)).unwrap_or(usize::MAX);
        self.recent.iter().skip(self.recent.len().saturating_sub(new))
    }
}

pub type LiveHandle = UseReducerHandle<Live>;

#[derive(Properties, PartialEq)]
pub struct LiveProviderProps {
    pub children: Html,
}

#[function_component]
pub fn LiveProvider(props: &LiveProviderProps) -> Html {
    let live = use_reducer(Live::default);
    {
        let dispatcher = live.dispatcher();
        use_effect_with((), move |_| {
            let following = if ipc::in_browser() {
                Following::Web(web::follow(dispatcher))
            } else {
                Following::Tauri(tauri::follow(dispatcher))
            };
            move || following.stop()
        });
    }
    html! { <ContextProvider<LiveHandle> context={live}>{ props.children.clone() }</ContextProvider<LiveHandle>> }
}

/// The desk's following of the feed, however it is followed; stopped when the desk
/// closes (signing out).
enum Following {
    Tauri(tauri::Listening),
    Web(web::Feed),
}

impl Following {
    fn stop(self) {
        match self {
            Following::Tauri(listening) => listening.stop(),
            Following::Web(feed) => feed.stop(),
        }
    }
}

/// Calls `on` with each `event`'s payload while the calling screen is shown (an
/// import's or export's progress). The shell's own events: in a browser, which offers
/// neither, nothing comes.
#[hook]
pub fn use_event<T>(event: &'static str, on: Callback<T>)
where
    T: serde::de::DeserializeOwned + 'static,
{
    // The listener lives as long as the screen, but each render's `on` sees that
    // render's state (an export's "busy"): the newest is the one called.
    let newest = use_mut_ref(|| on.clone());
    *newest.borrow_mut() = on;
    use_effect_with(event, move |event| {
        let listening = if ipc::in_browser() { tauri::Listening::default() } else { tauri::listen(event, newest) };
        move || listening.stop()
    });
}

/// How many changes that `concerns` this screen have arrived while it was shown: a
/// loading effect that depends on it reads again after each.
#[hook]
pub fn use_changes(concerns: impl Fn(&Change) -> bool + 'static) -> u64 {
    let live = use_context::<LiveHandle>();
    // (changes looked at, how many concerned this screen)
    let counted = use_mut_ref(|| (live.as_ref().map_or(0, |live| live.count), 0_u64));
    if let Some(live) = &live {
        let mut counted = counted.borrow_mut();
        let relevant = live.since(counted.0).filter(|change| concerns(change)).count() as u64;
        *counted = (live.count, counted.1 + relevant);
    }
    counted.borrow().1
}

/// How many changes this window has received since it opened.
#[hook]
pub fn use_seen() -> u64 {
    use_context::<LiveHandle>().map_or(0, |live| live.count)
}

/// The connection's state, for the sidebar.
#[hook]
pub fn use_connection() -> LiveConnection {
    use_context::<LiveHandle>().map(|live| live.connection.clone()).unwrap_or_default()
}

/// What a screen shows: `None` while the first read is on its way.
pub type Loaded<T> = UseStateHandle<Option<Result<T, CommandError>>>;

/// A screen's data, and a way to read it again now (after the user changed it).
pub struct Load<T> {
    pub loaded: Loaded<T>,
    pub reload: Callback<()>,
}

/// Reads `command(deps)` when the screen opens or `deps` change (showing "loading"
/// meanwhile), and again, in place, after each change that `concerns` it. An answer is
/// dropped when a newer read has been started since, so a slow old answer never
/// replaces a newer one.
///
/// Only the command's arguments and answer are read here, in code for each command:
/// the reads themselves (`use_reads`) are not generic, so the wasm holds them once, not
/// once for each screen's command (#17).
#[hook]
pub fn use_load<D, C>(deps: D, command: fn(&D) -> C, concerns: impl Fn(&Change) -> bool + 'static) -> Load<C::Answer>
where
    D: Clone + PartialEq + 'static,
    C: Command + 'static,
    C::Answer: 'static,
{
    let loaded = use_state(|| None::<Result<C::Answer, CommandError>>);
    let show: ShowAnswer = {
        let loaded = loaded.clone();
        Rc::new(move |answer| loaded.set(answer.map(|bytes| ipc::read(C::NAME, bytes))))
    };
    let asked = use_generation(deps.clone());
    let changes = use_changes(concerns);
    let request: Rc<dyn Fn() -> ipc::Request> = Rc::new(move || ipc::Request::of(&command(&deps)));
    let reload = use_reads(asked, request, show, changes);
    Load { loaded, reload }
}

/// Shows a read's answer as the screen's type, or (`None`) that one is on its way.
type ShowAnswer = Rc<dyn Fn(Option<Result<Vec<u8>, CommandError>>)>;

/// A number that changes whenever `deps` does: what a screen's first read depends on.
#[hook]
fn use_generation<D>(deps: D) -> u64
where
    D: PartialEq + 'static,
{
    let held = use_mut_ref(|| (None::<D>, 0_u64));
    let mut held = held.borrow_mut();
    if held.0.as_ref() != Some(&deps) {
        *held = (Some(deps), held.1 + 1);
    }
    held.1
}

/// `use_load`'s reads: the first whenever `asked` changes (showing "loading" until it is
/// answered), again in place when `changes` grows, and whenever the screen asks.
#[hook]
fn use_reads(asked: u64, request: Rc<dyn Fn() -> ipc::Request>, show: ShowAnswer, changes: u64) -> Callback<()> {
    let latest = use_mut_ref(|| 0_u64);
    let reload = {
        let (request, show, latest) = (request.clone(), show.clone(), latest.clone());
        Callback::from(move |()| read_command(request(), show.clone(), latest.clone()))
    };
    use_effect_with(asked, move |_| {
        show(None);
        read_command(request(), show, latest);
    });
    {
        let reload = reload.clone();
        use_effect_with(changes, move |changes| {
            // The first read is the effect above's.
            if *changes > 0 {
                reload.emit(());
            }
        });
    }
    reload
}

/// Runs one command's read, numbered as `read`'s are; its answer is shown only if no read
/// was started after it.
fn read_command(request: ipc::Request, show: ShowAnswer, latest: Rc<RefCell<u64>>) {
    let number = next_read(&latest);
    ipc::send_then(
        request,
        Box::new(move |answer| {
            if *latest.borrow() == number {
                show(Some(answer));
            }
        }),
    );
}

/// Runs one read, numbered; its answer is kept only if no read was started after it.
pub fn read<T: 'static>(
    answer: impl Future<Output = Result<T, CommandError>> + 'static,
    loaded: UseStateHandle<Option<Result<T, CommandError>>>,
    latest: Rc<RefCell<u64>>,
) {
    let number = next_read(&latest);
    wasm_bindgen_futures::spawn_local(async move {
        let answer = answer.await;
        if *latest.borrow() == number {
            loaded.set(Some(answer));
        }
    });
}

/// Numbers a read that is starting: the newest, from now on.
fn next_read(latest: &RefCell<u64>) -> u64 {
    let mut latest = latest.borrow_mut();
    *latest += 1;
    *latest
}
