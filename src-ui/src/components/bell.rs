//! The bell: the signed-in user's notifications, read again as each new one arrives on
//! the change feed (`live.rs`), from this desktop or any other. Clicking one opens its
//! order and marks it read. In a browser, the new ones also become the browser's own
//! notifications (`web_notifications.rs`), once the user turns them on here.

use crate::components::icons::bell_icon;
use crate::components::web_notifications::{WebNotificationsChoice, use_web_notifications};
use crate::keyboard::use_keydown;
use crate::live::{Load, use_load};
use crate::{format, ipc};
use plumbline_domain::api::{ChangeKind, CommandError, NotificationItem, Notifications};
use plumbline_domain::commands;
use plumbline_domain::{Command, WorkOrderId};
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BellProps {
    pub on_open: Callback<WorkOrderId>,
}

/// What the bell shows and how it changes things: each change reads the list again, and
/// a refusal is shown in the panel, never swallowed.
#[derive(Clone)]
struct BellActions {
    reload: Callback<()>,
    failure: UseStateHandle<Option<CommandError>>,
}

impl BellActions {
    fn run<C: Command>(&self, command: C) {
        let (reload, failure) = (self.reload.clone(), self.failure.clone());
        ipc::call_then(command, move |answer| {
            failure.set(answer.err());
            reload.emit(());
        });
    }
}

#[function_component]
pub fn Bell(props: &BellProps) -> Html {
    let Load { loaded, reload } =
        use_load((), |()| commands::Notifications {}, |change| change.kind == ChangeKind::Notification);
    use_web_notifications(loaded.as_ref().and_then(|read| read.as_ref().ok()).cloned());
    let failure = use_state(|| None::<CommandError>);
    let open = use_state(|| false);
    let unread = match &*loaded {
        Some(Ok(notifications)) => notifications.unread,
        _ => 0,
    };
    let actions = BellActions { reload: reload.clone(), failure: failure.clone() };
    let toggle = {
        let (open, reload) = (open.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            reload.emit(());
            open.set(!*open);
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    // Esc closes the panel, as any popover; only while it is open, so Esc still reaches
    // the page's own forms otherwise.
    use_keydown({
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if *open && e.key() == "Escape" {
                e.prevent_default();
                e.stop_immediate_propagation();
                open.set(false);
            }
        })
    });
    let problem = match (&*loaded, &*failure) {
        (_, Some(error)) | (Some(Err(error)), None) => Some(error.message.clone()),
        _ => None,
    };
    html! {
        <div class="bell-wrap">
            <button class="nav-item bell" onclick={toggle} data-testid="bell" aria-label={format!("Notifications, {unread} unread")}>
                { bell_icon() }<span class="nav-label">{ "Notifications" }</span>
                if unread > 0 {
                    <span class="bell-count" data-testid="bell-count">{ format::thousands(unread) }</span>
                }
            </button>
            if *open {
                // A click anywhere outside the panel closes it.
                <div class="bell-backdrop" onclick={close} data-testid="bell-backdrop"></div>
                <div class="bell-panel" role="dialog" aria-label="Notifications" data-testid="notifications">
                    if let Some(message) = problem {
                        <p class="error-text" role="alert" data-testid="bell-error">{ message }</p>
                    }
                    if let Some(Ok(notifications)) = &*loaded {
                        { panel(notifications, &open, &actions, &props.on_open) }
                    }
                </div>
            }
        </div>
    }
}

fn panel(
    notifications: &Notifications,
    open: &UseStateHandle<bool>,
    actions: &BellActions,
    on_open: &Callback<WorkOrderId>,
) -> Html {
    let read_all = {
        let actions = actions.clone();
        Callback::from(move |_: MouseEvent| actions.run(commands::ReadAllNotifications {}))
    };
    let desktop = {
        let actions = actions.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            actions.run(commands::SetDesktopNotifications { on });
        })
    };
    let duty = {
        let actions = actions.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            actions.run(commands::SetOnDuty { on });
        })
    };
    html! {
        <>
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
                { for notifications.items.iter().map(|item| entry(item, open, actions, on_open)) }
            </ul>
            <label class="bell-setting">
                <input type="checkbox" checked={notifications.desktop} onchange={desktop} data-testid="desktop-notifications" />
                { if ipc::in_browser() { "Also show them as notifications on this device" } else { "Also show them as desktop notifications" } }
            </label>
            <WebNotificationsChoice />
            if let Some(on_duty) = notifications.on_duty {
                <label class="bell-setting" title="Emergencies come to everyone's bell; on duty, they also sound on this desktop at once, even with desktop notifications off.">
                    <input type="checkbox" checked={on_duty} onchange={duty} data-testid="on-duty" />
                    { "On duty: alert me at once to emergencies" }
                </label>
            }
        </>
    }
}

fn entry(
    item: &NotificationItem,
    open: &UseStateHandle<bool>,
    actions: &BellActions,
    on_open: &Callback<WorkOrderId>,
) -> Html {
    let onclick = {
        let (id, order, open, actions, on_open) = (item.id, item.order, open.clone(), actions.clone(), on_open.clone());
        Callback::from(move |_: MouseEvent| {
            actions.run(commands::ReadNotification { id });
            open.set(false);
            if let Some(order) = order {
                on_open.emit(order);
            }
        })
    };
    let (headline, rest) = item.body.split_once('\n').unwrap_or((&item.body, ""));
    html! {
        <li>
            <button class={classes!("notification", (!item.read).then_some("unread"), item.urgent.then_some("urgent"))} {onclick} data-notification={item.id.to_string()}>
                <span class="n-title">{ &item.title }</span>
                <span class="n-body">{ headline }</span>
                if !rest.is_empty() { <span class="n-note">{ rest }</span> }
                <span class="n-time">{ format!("{} ago", format::age(item.at)) }</span>
            </button>
        </li>
    }
}
