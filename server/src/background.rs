//! The background engine on a timer: SLA alerts, appointment reminders and auto-close,
//! once a minute (`plumbline_service::background` makes it once per agency however many
//! server processes run); and the daily backup when the operator set `--backup-dir`
//! (`plumbline_service::backup::run_scheduled`), in a task of its own so a large backup
//! never holds up an SLA alert; and the e-mail outbox, also in a task of its own, with
//! the SMTP password from this machine's keyring (`crate::smtp_password`).

use crate::Clock;
use crate::mail;
use chrono::{DateTime, Utc};
use plumbline_service::background::{DueWork, run_due_work};
use plumbline_service::{Store, backup};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// Runs the engine at start and then every `every`, until `stop` turns true. A run in
/// progress is finished, not cut off.
pub fn spawn(store: Store, clock: Clock, every: Duration, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        let mut backing_up: Option<JoinHandle<()>> = None;
        let mut mailing: Option<JoinHandle<()>> = None;
        // After a slow run, the next one waits its full interval rather than bunching up.
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let stopping = tokio::select! {
                _ = ticks.tick() => false,
                _ = stop.wait_for(|stopped| *stopped) => true,
            };
            if stopping {
                for task in [backing_up, mailing].into_iter().flatten() {
                    let _ = task.await;
                }
                return;
            }
            let now = clock();
            if backing_up.as_ref().is_none_or(JoinHandle::is_finished) {
                backing_up = Some(tokio::spawn(back_up_if_due(store.clone(), now)));
            }
            // The outbox in a task of its own: a mail server that does not answer must
            // not hold up an SLA alert. Every server process sends (claims keep each
            // message to one).
            if mailing.as_ref().is_none_or(JoinHandle::is_finished) {
                let store = store.clone();
                mailing = Some(tokio::spawn(async move { mail::send_due(&store, now).await }));
            }
            once(&store, now).await;
        }
    })
}

async fn once(store: &Store, now: DateTime<Utc>) {
    match run_due_work(store, now).await {
        Ok(Some(done)) if done == DueWork::default() => tracing::debug!("background engine: nothing due"),
        Ok(Some(done)) => tracing::info!(
            sla_alerts = done.sla_alerts,
            reminders = done.reminders,
            auto_closed = done.auto_closed,
            planned_orders = done.planned_orders,
            certificate_renewals = done.certificate_renewals,
            escalations = done.escalations,
            "background engine ran"
        ),
        Ok(None) => tracing::debug!("background engine: another server process is running it"),
        Err(err) => tracing::warn!("background engine: {err:#}"),
    }
}

async fn back_up_if_due(store: Store, now: DateTime<Utc>) {
    match backup::run_scheduled(&store, now).await {
        Ok(Some(written)) => tracing::info!(path = %written.path.display(), "daily backup written"),
        Ok(None) => {}
        Err(err) => tracing::warn!("daily backup: {err:#}"),
    }
}
