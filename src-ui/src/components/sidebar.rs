use crate::app::Route;
use plumbline_domain::Role;
use plumbline_domain::api::CurrentUser;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SidebarProps {
    pub route: Route,
    pub user: CurrentUser,
    pub on_navigate: Callback<Route>,
    pub on_sign_out: Callback<()>,
}

/// (label, where it goes, its `g` shortcut, whether the current route is under it)
fn entries(route: &Route, role: Role) -> Vec<(&'static str, Route, &'static str, bool)> {
    let mut entries = vec![
        ("Dashboard", Route::Dashboard, "G D", *route == Route::Dashboard),
        ("New request", Route::NewRequest, "G N", *route == Route::NewRequest),
        ("Triage queue", Route::Triage, "G T", *route == Route::Triage),
        ("Work orders", Route::WorkOrders, "G L", matches!(route, Route::WorkOrders | Route::WorkOrder(_))),
    ];
    if role == Role::Admin {
        entries.push(("Users", Route::Users, "G U", *route == Route::Users));
    }
    entries
}

#[function_component]
pub fn Sidebar(props: &SidebarProps) -> Html {
    html! {
        <nav class="sidebar">
            <div class="brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
            { for entries(&props.route, props.user.role).into_iter().map(|(label, target, keys, active)| {
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
