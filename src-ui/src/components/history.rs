//! The order page's History card: the newest page of the order's history comes with the
//! order; "Show earlier history" reads each page before it (`WorkOrderHistory`).

use crate::components::status::error_banner;
use crate::{format, ipc};
use plumbline_domain::api::{CommandError, TimelineCursor, TimelineEntry};
use plumbline_domain::{WorkOrderId, commands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryCardProps {
    pub id: WorkOrderId,
    /// The newest page, oldest first, as the order's detail holds it.
    pub timeline: Vec<TimelineEntry>,
    /// Where the entries before `timeline` start, if there are any.
    pub earlier: Option<TimelineCursor>,
}

/// Earlier pages read so far, oldest first, and where the page before them starts.
#[derive(Clone, PartialEq, Default)]
struct Earlier {
    entries: Vec<TimelineEntry>,
    next: Option<TimelineCursor>,
}

#[function_component]
pub fn HistoryCard(props: &HistoryCardProps) -> Html {
    let earlier = use_state(|| None::<Earlier>);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    {
        // The newest page moved (a step, a reload): the earlier pages start elsewhere now.
        let (earlier, error) = (earlier.clone(), error.clone());
        use_effect_with((props.id, props.earlier), move |_| {
            earlier.set(None);
            error.set(None);
        });
    }
    let next = match &*earlier {
        Some(loaded) => loaded.next,
        None => props.earlier,
    };
    let show_earlier = {
        let (earlier, error, busy, id) = (earlier.clone(), error.clone(), busy.clone(), props.id);
        Callback::from(move |_: MouseEvent| {
            let Some(before) = next else { return };
            if *busy {
                return;
            }
            let (earlier, error, busy) = (earlier.clone(), error.clone(), busy.clone());
            busy.set(true);
            ipc::call_then(commands::WorkOrderHistory { id, before }, move |answer| {
                match answer {
                    Ok(page) => {
                        let mut loaded = (*earlier).clone().unwrap_or_default();
                        loaded.entries.splice(0..0, page.entries);
                        loaded.next = page.earlier;
                        earlier.set(Some(loaded));
                        error.set(None);
                    }
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
            });
        })
    };
    let older = earlier.as_ref().map(|loaded| loaded.entries.as_slice()).unwrap_or_default();
    html! {
        <div class="card">
            <h2>{ "History" }</h2>
            <ol class="timeline" data-testid="timeline">
                { for props.timeline.iter().rev().chain(older.iter().rev()).map(timeline_entry) }
            </ol>
            if let Some(err) = &*error {
                { error_banner(err) }
            }
            if next.is_some() {
                <button type="button" class="link-button show-earlier" data-testid="earlier-history"
                        disabled={*busy} onclick={show_earlier}>
                    { if *busy { "Loading…" } else { "Show earlier history" } }
                </button>
            }
        </div>
    }
}

fn timeline_entry(entry: &TimelineEntry) -> Html {
    let change = match (entry.from, entry.to) {
        (Some(from), Some(to)) if from != to => format!("{} → {}", from.label(), to.label()),
        _ => String::new(),
    };
    html! {
        <li>
            <div class="when">{ format::local_date_time(entry.at) }</div>
            <div class="what"><strong>{ &entry.what }</strong>{ " by " }{ &entry.actor }
                if !change.is_empty() { <span class="change">{ change }</span> }
            </div>
            if !entry.note.is_empty() { <div class="note">{ &entry.note }</div> }
        </li>
    }
}
