//! The background engine on this computer's own store: SLA alerts, appointment reminders
//! and auto-close, once a minute, as the agency server runs them for its store
//! (`service::background::run_due_work`). It refreshes no screen: what it writes reaches
//! the windows through the change feed like any other change (`live.rs`).

use crate::state::AppState;
use plumbline_service::background;
use std::time::Duration;
use tauri::{AppHandle, Manager};

/// SLA clocks run in minutes.
const EVERY: Duration = Duration::from_secs(60);

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut turns = tokio::time::interval(EVERY);
        loop {
            turns.tick().await;
            // On an agency server, the server runs the engine.
            let Some(local) = app.state::<AppState>().local() else { continue };
            if let Err(err) = background::run_due_work(&local.store, AppState::now()).await {
                tracing::warn!("the background engine: {err}");
            }
        }
    });
}
