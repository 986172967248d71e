use crate::app::Route;
use crate::components::bell::Bell;
use crate::navigation::entries;
use plumbline_domain::api::CurrentUser;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SidebarProps {
    pub route: Route,
    pub user: CurrentUser,
    pub on_navigate: Callback<Route>,
    pub on_sign_out: Callback<()>,
}

/// Whether the current route is under the entry for `target` (an order is under the list).
fn is_under(route: &Route, target: &Route) -> bool {
    match target {
        Route::WorkOrders => matches!(route, Route::WorkOrders | Route::WorkOrder(_)),
        Route::Dashboard
        | Route::Triage
        | Route::NewRequest
        | Route::WorkOrder(_)
        | Route::Users
        | Route::Account
        | Route::Messages => route == target,
    }
}

#[function_component]
pub fn Sidebar(props: &SidebarProps) -> Html {
    let nav = entries(props.user.role);
    html! {
        <nav class="sidebar">
            <div class="brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
            <Bell on_open={props.on_navigate.reform(Route::WorkOrder)} />
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
                <div class="who">
                    <span class="who-name">{ &props.user.name }</span>
                    <span class="who-role">{ format!("{} · {}", props.user.role.as_str(), props.user.agency) }</span>
                    <div class="who-actions">
                        <button class="link-button" data-nav="Change password"
                                onclick={props.on_navigate.reform(|_: MouseEvent| Route::Account)}>{ "Change password" }</button>
                        <button class="link-button" id="sign-out"
                                onclick={props.on_sign_out.reform(|_: MouseEvent| ())}>{ "Sign out" }</button>
                    </div>
                </div>
            </div>
        </nav>
    }
}
