//! Notices new notifications for the signed-in user every few seconds, by reading the
//! store, so what another process wrote (a colleague's desktop on a shared store, a
//! second window) is noticed like what this one wrote, and raises a desktop notification.

use crate::local::Local;
use crate::state::AppState;
use plumbline_desktop::desktop_notifications;
use plumbline_domain::UserId;
use plumbline_domain::api::NotificationItem;
use plumbline_service::{notifications, work_orders};
use std::time::Duration;
use tauri::{AppHandle, Manager};

const EVERY: Duration = Duration::from_secs(2);
/// SLA alerts and reminders are looked for every this many looks (a minute): SLA clocks run in minutes.
const SLA_EVERY_LOOKS: u32 = 30;
/// More at once than this become one summary, not a burst of pop-ups.
const MAX_SHOWN: usize = 3;

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        // The user being watched, and the newest notification already dealt with.
        let mut seen: Option<(UserId, i64)> = None;
        for look in 0_u32.. {
            tokio::time::sleep(EVERY).await;
            // On an agency server, the server runs the engine; live updates come later.
            let Some(local) = app.state::<AppState>().local() else { continue };
            if look % SLA_EVERY_LOOKS == 0 {
                send_alerts(&local).await;
            }
            seen = match check(&local, seen).await {
                Ok(next) => next,
                Err(err) => {
                    tracing::warn!("watching notifications: {err}");
                    seen
                }
            };
        }
    });
}

/// Alerts orders whose SLA just turned at risk or breached, and reminds visits due within
/// a day (each once, whichever desktop looks first); the watcher then shows them like
/// any other notification.
async fn send_alerts(state: &Local) {
    if let Err(err) = work_orders::announce_sla(&state.store, AppState::now()).await {
        tracing::warn!("SLA alerts: {err}");
    }
    if let Err(err) = work_orders::send_reminders(&state.store, AppState::now()).await {
        tracing::warn!("appointment reminders: {err}");
    }
}

/// One look. What was there before someone signed in is already in the bell; only what
/// arrived since pops up.
async fn check(
    state: &Local,
    seen: Option<(UserId, i64)>,
) -> Result<Option<(UserId, i64)>, plumbline_service::ServiceError> {
    let Some(session) = state.session() else { return Ok(None) };
    let user = session.actor.user_id;
    let after = match seen {
        Some((watched, after)) if watched == user => after,
        _ => notifications::latest_id_before(&state.store, user, session.since).await?,
    };
    let new = notifications::newer_than(&state.store, user, after).await?;
    let Some(newest) = new.last().map(|item| item.id) else { return Ok(seen) };
    if notifications::desktop_enabled(&state.store, user).await? {
        show(&new).await;
    }
    Ok(Some((user, newest)))
}

async fn show(new: &[NotificationItem]) {
    let shown = if new.len() > MAX_SHOWN { &new[new.len() - 1..] } else { new };
    for item in shown {
        let summary = if new.len() > MAX_SHOWN {
            format!("{} new updates in Plumbline; the latest: {}", new.len(), item.title)
        } else {
            item.title.clone()
        };
        if let Err(err) = desktop_notifications::show(&summary, &item.body).await {
            tracing::warn!("{err}");
        }
    }
}
