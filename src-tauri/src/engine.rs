//! The background engine on this computer's own store: SLA alerts, appointment reminders
//! and auto-close, once a minute, as the agency server runs them for its store
//! (`service::background::run_due_work`). It refreshes no screen: what it writes reaches
//! the windows through the change feed like any other change (`live.rs`).
//!
//! The mail outbox (`service::mail::send_due`) is sent on the same minute in a task of
//! its own, with the SMTP password from this computer's keyring.
//!
//! The admin's daily backups (`service::backup::run_scheduled`) are checked for on the
//! same minute, in a task of their own: a large store's backup must not hold up an SLA
//! alert.

use crate::state::AppState;
use plumbline_desktop::SmtpPasswordEntry;
use plumbline_service::{background, backup, mail};
use std::time::Duration;
use tauri::{AppHandle, Manager};

/// SLA clocks run in minutes.
const EVERY: Duration = Duration::from_secs(60);

/// The first turns wait until the window has shown its first screen (1-2 s after exec
/// on a 2-core machine): a store opened after a weekend catches up on hundreds of
/// reminders, auto-closes and a backup, which would otherwise take the CPU from the
/// webview as it starts (#17).
const AFTER_START: Duration = Duration::from_secs(5);

/// Once a minute, the first a few seconds after start.
fn minutes() -> tokio::time::Interval {
    tokio::time::interval_at(tokio::time::Instant::now() + AFTER_START, EVERY)
}

pub fn spawn(app: AppHandle) {
    let backups_app = app.clone();
    spawn_mail(app.clone());
    tauri::async_runtime::spawn(async move {
        let mut turns = minutes();
        loop {
            turns.tick().await;
            // On an agency server, the server runs the engine.
            let Some(local) = app.state::<AppState>().local() else { continue };
            if let Err(err) = background::run_due_work(&local.store, AppState::now()).await {
                tracing::warn!("the background engine: {err}");
            }
        }
    });
    tauri::async_runtime::spawn(async move {
        let mut turns = minutes();
        // A backup longer than a minute is not followed by a burst of catch-up turns.
        turns.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            turns.tick().await;
            let Some(local) = backups_app.state::<AppState>().local() else { continue };
            match backup::run_scheduled(&local.store, AppState::now()).await {
                Ok(Some(written)) => tracing::info!("scheduled backup written to {}", written.path.display()),
                Ok(None) => {}
                // Noted for the Backup page too.
                Err(err) => tracing::warn!("the scheduled backup: {err:?}"),
            }
        }
    });
}

/// The mail outbox, once a minute, in a task of its own: a mail server that does not
/// answer must not hold up an SLA alert. The password is read from this computer's
/// keyring at each run that has mail to send.
fn spawn_mail(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut turns = minutes();
        turns.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            turns.tick().await;
            let Some(local) = app.state::<AppState>().local() else { continue };
            let password = SmtpPasswordEntry::for_store(local.store.name());
            match mail::send_due(&local.store, AppState::now(), &password).await {
                Ok(run) if run.failed > 0 => tracing::warn!(sent = run.sent, failed = run.failed, "e-mail outbox"),
                Ok(_) => {}
                Err(err) => tracing::warn!("the e-mail outbox: {err}"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_first_turn_waits_until_the_window_has_started_then_one_a_minute() {
        let started = tokio::time::Instant::now();
        let mut turns = minutes();
        turns.tick().await;
        assert_eq!(started.elapsed(), AFTER_START);
        turns.tick().await;
        assert_eq!(started.elapsed(), AFTER_START + EVERY);
    }
}
