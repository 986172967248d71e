//! The bell's notifications as the browser's own notifications, in the web portal, by
//! the desktop shell's rule (`Notifications::popups_after`, which both call): what was
//! already in the bell when the page began following does not pop up; after that, each
//! new one does: an emergency for someone on duty always, the others if the user keeps
//! "also show them" on, and more than a few at once as one summary. Nothing is shown without
//! the browser's permission, which is asked for only when the user clicks "Turn on
//! notifications". On the desktop the shell raises them, and this does nothing.

use crate::ipc;
use plumbline_domain::api::Notifications;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};
use yew::prelude::*;

/// The browser's permission to show notifications; none on the desktop, or in a
/// browser without the API (an iPhone's Safari outside a home-screen app).
fn permission() -> Option<NotificationPermission> {
    let window = web_sys::window()?;
    let has_api = js_sys::Reflect::has(&window, &"Notification".into()).unwrap_or(false);
    (ipc::in_browser() && has_api).then(Notification::permission)
}

/// Raises, as the browser's notifications, the user's notifications that are new since
/// the list was first read (`notifications` is the bell's list, read again on each
/// `Notification` change).
#[hook]
pub fn use_web_notifications(notifications: Option<Notifications>) {
    // The newest id seen; `None` until the first read.
    let newest = use_mut_ref(|| None::<i64>);
    use_effect_with(notifications, move |notifications| {
        let Some(notifications) = notifications.as_ref().filter(|_| ipc::in_browser()) else { return };
        let seen = *newest.borrow();
        *newest.borrow_mut() = Some(notifications.newest_seen(seen.unwrap_or(0)));
        // The first read's are in the bell already.
        let Some(seen) = seen else { return };
        let popups = notifications.popups_after(seen);
        if popups.is_empty() || permission() != Some(NotificationPermission::Granted) {
            return;
        }
        for popup in popups {
            raise(&popup.title, &popup.body, popup.urgent);
        }
    });
}

/// One notification; an urgent one stays until the user sees to it.
fn raise(title: &str, body: &str, urgent: bool) {
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_require_interaction(urgent);
    // Chrome on Android shows them only through a service worker, which the portal
    // does not have: the bell still lists them.
    if let Err(error) = Notification::new_with_options(title, &options) {
        web_sys::console::warn_2(&"could not show a notification".into(), &error);
    }
}

/// "Turn on notifications", in a browser that has not been asked yet; a word on how to
/// allow them when the user has blocked them.
#[function_component]
pub fn WebNotificationsChoice() -> Html {
    let asked = use_state(permission);
    let onclick = {
        let asked = asked.clone();
        Callback::from(move |_: MouseEvent| {
            let asked = asked.clone();
            // Asked only on this click, as browsers require (and users prefer).
            let Ok(answer) = Notification::request_permission() else { return };
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(answer).await;
                asked.set(permission());
            });
        })
    };
    // Compared, not matched: the browser's enum may grow (web-sys marks it so).
    if *asked == Some(NotificationPermission::Default) {
        html! {
            <button type="button" class="small-button" data-testid="enable-web-notifications" {onclick}>
                { "Turn on notifications" }
            </button>
        }
    } else if *asked == Some(NotificationPermission::Denied) {
        html! {
            <p class="muted small" data-testid="web-notifications-blocked">
                { "Notifications are blocked for this site: allow them in your browser's site settings." }
            </p>
        }
    } else {
        Html::default()
    }
}
