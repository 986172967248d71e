use crate::app::Route;
use plumbline_domain::api::CurrentUser;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SidebarProps {
    pub route: Route,
    pub user: Option<CurrentUser>,
    pub on_navigate: Callback<Route>,
}

/// (label, where it goes, its `g` shortcut, whether the current route is under it)
fn entries(route: &Route) -> [(&'static str, Route, &'static str, bool); 4] {
    [
        ("Dashboard", Route::Dashboard, "G D", *route == Route::Dashboard),
        ("New request", Route::NewRequest, "G N", *route == Route::NewRequest),
        ("Triage queue", Route::Triage, "G T", *route == Route::Triage),
        ("Work orders", Route::WorkOrders, "G L", matches!(route, Route::WorkOrders | Route::WorkOrder(_))),
    ]
}

#[function_component]
pub fn Sidebar(props: &SidebarProps) -> Html {
    html! {
        <nav class="sidebar">
            <div class="brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
            { for entries(&props.route).into_iter().map(|(label, target, keys, active)| {
                let onclick = props.on_navigate.reform(move |_: MouseEvent| target.clone());
                html! {
                    <button class={classes!("nav-item", active.then_some("active"))} {onclick}
                            title={format!("{label} ({keys})")} data-nav={label}>
                        <span>{ label }</span><kbd>{ keys }</kbd>
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
