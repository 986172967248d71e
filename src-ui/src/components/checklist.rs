//! The first-run checklist: what a new agency still has to do before the desk is of
//! use (properties, contractors, staff, its own rules), each a click away. Shown to an
//! admin on the dashboard until every step is done or they hide it.

use crate::app::Route;
use crate::ipc;
use crate::live::use_load;
use plumbline_domain::commands;
use yew::prelude::*;

/// Where "hide" is remembered on this computer.
const HIDDEN_KEY: &str = "plumbline.setup-checklist.hidden";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub on_navigate: Callback<Route>,
}

#[function_component]
pub fn Checklist(props: &ChecklistProps) -> Html {
    let load = use_load((), |_| commands::SetupChecklist {}, |_| false);
    let hidden = use_state(|| storage().and_then(|s| s.get_item(HIDDEN_KEY).ok().flatten()).is_some());
    let Some(Ok(list)) = &*load.loaded else { return Html::default() };
    if *hidden || list.is_complete() {
        return Html::default();
    }
    let hide = {
        let hidden = hidden.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(storage) = storage() {
                let _ = storage.set_item(HIDDEN_KEY, "1");
            }
            hidden.set(true);
        })
    };
    // A spreadsheet is imported from the desktop's files; a browser adds them by hand.
    let bring_in =
        if ipc::in_browser() { ("Properties", Route::Properties) } else { ("Import a spreadsheet", Route::Import) };
    html! {
        <div class="card checklist" data-testid="setup-checklist">
            <div class="card-head">
                <h2>{ "Set up your agency" }</h2>
                <button class="link-button" onclick={hide}>{ "Hide" }</button>
            </div>
            <ol>
                { step(list.properties > 0, "Bring in your properties and tenants",
                       &format!("{} properties so far", list.properties), bring_in.0, bring_in.1, &props.on_navigate) }
                { step(list.contractors > 0, "Add your contractors, their trades and insurance",
                       &format!("{} contractors so far", list.contractors), "Contractors", Route::Contractors, &props.on_navigate) }
                { step(list.staff > 0, "Invite your staff", "Everyone who takes calls and runs jobs", "Users", Route::Users, &props.on_navigate) }
                { step(list.settings_reviewed, "Review SLA targets and working hours", "The clocks run on your week and bank holidays",
                       "Settings", Route::Settings, &props.on_navigate) }
            </ol>
        </div>
    }
}

fn step(done: bool, title: &str, note: &str, action: &str, route: Route, on_navigate: &Callback<Route>) -> Html {
    let onclick = on_navigate.reform(move |_: MouseEvent| route.clone());
    html! {
        <li class={classes!("check-step", done.then_some("done"))}>
            <span class="tick" aria-hidden="true">{ if done { "✓" } else { "" } }</span>
            <div><strong>{ title }</strong><div class="muted small">{ note }</div></div>
            if !done { <button class="small-button" {onclick}>{ action }</button> }
        </li>
    }
}
