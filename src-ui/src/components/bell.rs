//! The bell: unread notifications for the signed-in user, refreshed every few seconds
//! (the backend's watcher reads the store, so changes made on other desktops show too).
//! Clicking one opens its order and marks it read.

use crate::{format, ipc};
use plumbline_domain::WorkOrderId;
use plumbline_domain::api::{NotificationItem, Notifications};
use plumbline_domain::commands;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::HtmlInputElement;
use yew::prelude::*;

const REFRESH_MS: i32 = 3000;

#[derive(Properties, PartialEq)]
pub struct BellProps {
    pub on_open: Callback<WorkOrderId>,
}

/// Loads the notifications now and then every `REFRESH_MS` while mounted.
#[hook]
fn use_notifications() -> (UseStateHandle<Option<Notifications>>, Callback<()>) {
    let loaded = use_state(|| None::<Notifications>);
    let reload = {
        let loaded = loaded.clone();
        Callback::from(move |_: ()| {
            let loaded = loaded.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(notifications) = ipc::call(commands::Notifications {}).await {
                    loaded.set(Some(notifications));
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| {
            reload.emit(());
            let tick = Closure::<dyn Fn()>::new(move || reload.emit(()));
            let window = web_sys::window();
            let timer = window.as_ref().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), REFRESH_MS).ok()
            });
            move || {
                if let (Some(window), Some(timer)) = (window, timer) {
                    window.clear_interval_with_handle(timer);
                }
                drop(tick);
            }
        });
    }
    (loaded, reload)
}

#[function_component]
pub fn Bell(props: &BellProps) -> Html {
    let (loaded, reload) = use_notifications();
    let open = use_state(|| false);
    let unread = loaded.as_ref().map_or(0, |n| n.unread);
    let toggle = {
        let (open, reload) = (open.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            reload.emit(());
            open.set(!*open);
        })
    };
    html! {
        <div class="bell-wrap">
            <button class="nav-item bell" onclick={toggle} data-testid="bell" aria-label={format!("Notifications, {unread} unread")}>
                <span>{ "Notifications" }</span>
                if unread > 0 {
                    <span class="bell-count" data-testid="bell-count">{ format::thousands(unread) }</span>
                }
            </button>
            if *open {
                if let Some(notifications) = &*loaded {
                    { panel(notifications, &open, &reload, &props.on_open) }
                }
            }
        </div>
    }
}

fn panel(
    notifications: &Notifications,
    open: &UseStateHandle<bool>,
    reload: &Callback<()>,
    on_open: &Callback<WorkOrderId>,
) -> Html {
    let read_all = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| {
            let reload = reload.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ipc::call(commands::ReadAllNotifications {}).await;
                reload.emit(());
            });
        })
    };
    let desktop = {
        let reload = reload.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let reload = reload.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ipc::call(commands::SetDesktopNotifications { on }).await;
                reload.emit(());
            });
        })
    };
    html! {
        <div class="bell-panel" role="dialog" aria-label="Notifications" data-testid="notifications">
            <header>
                <strong>{ "Notifications" }</strong>
                if notifications.unread > 0 {
                    <button class="link-button" onclick={read_all}>{ "Mark all read" }</button>
                }
            </header>
            if notifications.items.is_empty() {
                <p class="muted">{ "Nothing yet. Changes to your orders will show here." }</p>
            }
            <ul>
                { for notifications.items.iter().map(|item| entry(item, open, reload, on_open)) }
            </ul>
            <label class="bell-setting">
                <input type="checkbox" checked={notifications.desktop} onchange={desktop} data-testid="desktop-notifications" />
                { "Also show them as desktop notifications" }
            </label>
        </div>
    }
}

fn entry(
    item: &NotificationItem,
    open: &UseStateHandle<bool>,
    reload: &Callback<()>,
    on_open: &Callback<WorkOrderId>,
) -> Html {
    let onclick = {
        let (id, order, open, reload, on_open) = (item.id, item.order, open.clone(), reload.clone(), on_open.clone());
        Callback::from(move |_: MouseEvent| {
            let reload = reload.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ipc::call(commands::ReadNotification { id }).await;
                reload.emit(());
            });
            open.set(false);
            if let Some(order) = order {
                on_open.emit(order);
            }
        })
    };
    let (headline, rest) = item.body.split_once('\n').unwrap_or((&item.body, ""));
    html! {
        <li>
            <button class={classes!("notification", (!item.read).then_some("unread"))} {onclick} data-notification={item.id.to_string()}>
                <span class="n-title">{ &item.title }</span>
                <span class="n-body">{ headline }</span>
                if !rest.is_empty() { <span class="n-note">{ rest }</span> }
                <span class="n-time">{ format!("{} ago", format::age(item.at)) }</span>
            </button>
        </li>
    }
}
