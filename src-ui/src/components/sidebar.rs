use crate::app::Route;
use crate::components::about::AboutSheet;
use crate::components::bell::Bell;
use crate::components::icons::{nav_icon, sign_out_icon};
use crate::format;
use crate::keyboard::Modifier;
use crate::live::{use_connection, use_seen};
use crate::navigation::entries;
use crate::theme::{self, Theme};
use plumbline_domain::api::{CurrentUser, LiveConnection};
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
        Route::Properties => matches!(route, Route::Properties | Route::Property(_)),
        Route::Dashboard
        | Route::Triage
        | Route::NewRequest
        | Route::WorkOrder(_)
        | Route::Users
        | Route::Account
        | Route::Messages
        | Route::Property(_)
        | Route::Planned
        | Route::Compliance
        | Route::Contractors
        | Route::Landlords
        | Route::Reports
        | Route::Settings
        | Route::Import
        | Route::Backup => route == target,
    }
}

#[function_component]
pub fn Sidebar(props: &SidebarProps) -> Html {
    let nav = entries(props.user.role);
    let about_open = use_state(|| false);
    let open_about = {
        let about_open = about_open.clone();
        Callback::from(move |_: MouseEvent| about_open.set(true))
    };
    let close_about = {
        let about_open = about_open.clone();
        Callback::from(move |()| about_open.set(false))
    };
    html! {
        <nav class="sidebar">
            <button class="brand" data-testid="open-about" title="About Plumbline" aria-label="About Plumbline"
                    onclick={open_about}>
                <span class="logo" aria-hidden="true"></span><span class="nav-label">{ "Plumbline" }</span>
            </button>
            { about_sheet(*about_open, close_about) }
            <Bell on_open={props.on_navigate.reform(Route::WorkOrder)} />
            { for nav.into_iter().map(|entry| {
                let active = is_under(&props.route, &entry.route);
                let keys = format!("G {}", entry.key.to_ascii_uppercase());
                let target = entry.route.clone();
                let onclick = props.on_navigate.reform(move |_: MouseEvent| target.clone());
                html! {
                    <button class={classes!("nav-item", active.then_some("active"))} {onclick}
                            title={format!("{} ({keys})", entry.label)} aria-label={entry.label} data-nav={entry.label}>
                        { nav_icon(&entry.route) }<span class="nav-label">{ entry.label }</span><kbd>{ keys }</kbd>
                    </button>
                }
            }) }
            <div class="sidebar-foot">
                <p class="palette-hint"><kbd>{ Modifier::here().with("K") }</kbd>{ " Command palette" }</p>
                <p class="palette-hint"><kbd>{ "?" }</kbd>{ " Keyboard shortcuts" }</p>
                <LiveState />
                <ThemeChoice />
                <div class="who">
                    <span class="who-name">{ &props.user.name }</span>
                    <span class="who-role">{ format!("{} · {}", props.user.role.as_str(), props.user.agency) }</span>
                    <div class="who-actions">
                        <button class="link-button" data-nav="Change password" title="Change password" aria-label="Change password"
                                onclick={props.on_navigate.reform(|_: MouseEvent| Route::Account)}>
                            { nav_icon(&Route::Account) }<span class="nav-label">{ "Change password" }</span>
                        </button>
                        <button class="link-button" id="sign-out" title="Sign out" aria-label="Sign out"
                                onclick={props.on_sign_out.reform(|_: MouseEvent| ())}>
                            { sign_out_icon() }<span class="nav-label">{ "Sign out" }</span>
                        </button>
                    </div>
                </div>
            </div>
        </nav>
    }
}

/// The About sheet over the whole window: a dialog rendered into `<body>`, not inside the
/// sidebar's navigation landmark, whose Plumbline name opens it. The portal stays for the
/// sidebar's life, empty while the sheet is closed: Yew 0.21 never takes back the event
/// listeners a portal adds to its host, so one mounted at each opening would leave them
/// on `<body>`, each click running them all (#17).
fn about_sheet(open: bool, on_close: Callback<()>) -> Html {
    match web_sys::window().and_then(|window| window.document()).and_then(|document| document.body()) {
        Some(body) => create_portal(html! { if open { <AboutSheet {on_close} /> } }, body.into()),
        None => Html::default(),
    }
}

/// Whether what the screens show is current: live on this computer or the agency
/// server, or (with the time since) reconnecting or offline. `data-seen` counts the
/// changes received, for tests to check none is missed or doubled.
#[function_component]
fn LiveState() -> Html {
    let connection = use_connection();
    let seen = use_seen();
    let (class, text, detail) = match &connection {
        LiveConnection::ThisComputer | LiveConnection::Connected => ("live", "Up to date".to_owned(), None),
        LiveConnection::Reconnecting { since, .. } => (
            "reconnecting",
            "Reconnecting…".to_owned(),
            Some(format!("Changes by others since {} are not shown yet", format::local_time(*since))),
        ),
        LiveConnection::Offline { since } => (
            "offline",
            format!("Offline since {}", format::local_time(*since)),
            Some("Others' changes are not shown; saving is refused until the server answers".to_owned()),
        ),
    };
    html! {
        <div class={classes!("live-state", class)} data-testid="connection" data-state={class} data-seen={seen.to_string()}
             role="status" title={detail.clone().unwrap_or_default()}>
            <span class="live-dot" aria-hidden="true"></span>
            <span>{ text }</span>
            if let Some(detail) = detail { <span class="live-detail">{ detail }</span> }
        </div>
    }
}

/// Light, dark or the system's, for this computer.
#[function_component]
fn ThemeChoice() -> Html {
    let chosen = use_state(theme::saved);
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let picked = Theme::parse(&e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
            theme::choose(picked);
            chosen.set(picked);
        })
    };
    html! {
        <label class="theme-choice">
            { "Theme" }
            <select {onchange} data-testid="theme">
                { for Theme::ALL.into_iter().map(|theme| html! {
                    <option value={theme.as_str()} selected={*chosen == theme}>{ theme.label() }</option>
                }) }
            </select>
        </label>
    }
}
