use crate::app::Route;
use crate::navigation::entries;
use plumbline_domain::api::CurrentUser;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SidebarProps {
    pub route: Route,
    pub user: Option<CurrentUser>,
    pub on_navigate: Callback<Route>,
}

/// Whether the current route is under the entry for `target` (an order is under the list).
fn is_under(route: &Route, target: &Route) -> bool {
    match target {
        Route::WorkOrders => matches!(route, Route::WorkOrders | Route::WorkOrder(_)),
        Route::Dashboard | Route::Triage | Route::NewRequest | Route::WorkOrder(_) => route == target,
    }
}

#[function_component]
pub fn Sidebar(props: &SidebarProps) -> Html {
    // Until the user is known, no entries: a role must not glimpse another's screens.
    let nav = props.user.as_ref().map(|user| entries(user.role)).unwrap_or_default();
    html! {
        <nav class="sidebar">
            <div class="brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
            { for nav.into_iter().map(|entry| {
                let active = is_under(&props.route, &entry.route);
                let keys = format!("G {}", entry.key.to_ascii_uppercase());
                let target = entry.route.clone();
                let onclick = props.on_navigate.reform(move |_: MouseEvent| target.clone());
                html! {
                    <button class={classes!("nav-item", active.then_some("active"))} {onclick}
                            title={format!("{} ({keys})", entry.label)} data-nav={entry.label}>
                        <span>{ entry.label }</span><kbd>{ keys }</kbd>
                    </button>
                }
            }) }
            <div class="sidebar-foot">
                <p class="palette-hint"><kbd>{ "Ctrl K" }</kbd>{ " Command palette" }</p>
                <p class="palette-hint"><kbd>{ "?" }</kbd>{ " Keyboard shortcuts" }</p>
                if let Some(user) = &props.user {
                    <div class="who">
                        <span class="who-name">{ &user.name }</span>
                        <span class="who-role">{ format!("{} · {}", user.role.as_str(), user.agency) }</span>
                    </div>
                }
            </div>
        </nav>
    }
}
