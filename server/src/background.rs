//! The background engine on a timer: SLA alerts, appointment reminders and auto-close,
//! once a minute (`plumbline_service::background` makes it once per agency however many
//! server processes run).

use crate::Clock;
use chrono::{DateTime, Utc};
use plumbline_service::Store;
use plumbline_service::background::{DueWork, run_due_work};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// Runs the engine at start and then every `every`, until `stop` turns true. A run in
/// progress is finished, not cut off.
pub fn spawn(store: Store, clock: Clock, every: Duration, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        // After a slow run, the next one waits its full interval rather than bunching up.
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let stopping = tokio::select! {
                _ = ticks.tick() => false,
                _ = stop.wait_for(|stopped| *stopped) => true,
            };
            if stopping {
                return;
            }
            once(&store, clock()).await;
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
            "background engine ran"
        ),
        Ok(None) => tracing::debug!("background engine: another server process is running it"),
        Err(err) => tracing::warn!("background engine: {err:#}"),
    }
}
