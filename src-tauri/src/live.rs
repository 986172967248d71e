//! Follows the agency's changes for whoever is signed in, and tells the webview: each
//! change they may see as a `plumbline://change` event, the connection's state as
//! `plumbline://connection`, and their new notifications as desktop notifications.
//!
//! Nothing here polls. This computer's store wakes the follower when a change commits,
//! in this process or another on the same file (`Store::subscribe`); the agency server
//! pushes its stream, and after a dropped connection the desktop resumes from the last
//! change it saw, so nothing made meanwhile is missed or shown twice.

use crate::local::Local;
use crate::remote::Remote;
use crate::state::{AppState, Backend};
use plumbline_desktop::desktop_notifications::{self, Urgency};
use plumbline_domain::api::{Change, ChangeKind, CommandError, ErrorCode, LiveConnection, Notifications};
use plumbline_domain::commands;
use plumbline_service::changes;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast::error::RecvError;

pub const CHANGE_EVENT: &str = "plumbline://change";
pub const CONNECTION_EVENT: &str = "plumbline://connection";
/// The session has ended (signed out elsewhere, reset, deactivated, idle): the window
/// asks the backend where it now stands, which is the sign-in screen.
pub const SESSION_ENDED_EVENT: &str = "plumbline://session-ended";

/// Changes read at once from this computer's store.
const PAGE: i64 = 200;
/// After this long without the server, "reconnecting" becomes "offline".
const OFFLINE_AFTER: Duration = Duration::from_secs(30);

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut sessions = app.state::<AppState>().sessions();
        loop {
            // Whoever is signed in now, on whichever backend, until that changes.
            sessions.borrow_and_update();
            tokio::select! {
                () = follow(&app) => {
                    if sessions.changed().await.is_err() {
                        return;
                    }
                }
                changed = sessions.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    });
}

/// Follows the current backend for as long as someone is signed in there.
async fn follow(app: &AppHandle) {
    // A new computer has no backend until the user picks one: following must not make one.
    let Some(backend) = app.state::<AppState>().backend() else { return };
    let notifier = Notifier::new(app).await;
    match backend {
        Backend::Local(local) => follow_store(app, &local, notifier).await,
        Backend::Server(remote) => follow_server(app, &remote, notifier).await,
    }
}

async fn follow_store(app: &AppHandle, local: &Local, mut notifier: Notifier) {
    let Ok(mut actor) = local.actor().await else { return };
    // Subscribed before "now" is read, so nothing committed in between is lost.
    let mut wake = local.store.subscribe();
    let mut cursor = match changes::latest(&local.store).await {
        Ok(latest) => latest,
        Err(err) => return tracing::warn!("following this computer's store: {err}"),
    };
    tell_connection(app, LiveConnection::ThisComputer);
    loop {
        match changes::since(&local.store, actor, cursor, PAGE).await {
            Ok(batch) => {
                for change in batch {
                    cursor = change.id;
                    tell(app, &change, &mut notifier).await;
                }
            }
            Err(err) => tracing::warn!("reading this computer's changes: {err}"),
        }
        match wake.recv().await {
            Ok(()) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return,
        }
        // Asked again at each wake, as the agency server does: an ended session (signed
        // out elsewhere, reset, deactivated) hears nothing more.
        actor = match local.actor().await {
            Ok(now_acting) if now_acting == actor => now_acting,
            Ok(_) | Err(_) => return tell_session_ended(app),
        };
    }
}

async fn follow_server(app: &AppHandle, remote: &Remote, mut notifier: Notifier) {
    let mut cursor = None;
    // When the connection was lost, and how many tries since.
    let mut lost_at = None;
    let mut attempt = 0_u32;
    loop {
        match remote.changes(cursor).await {
            Ok(mut stream) => {
                // From the first connection on, resume where the server started.
                cursor = cursor.or(stream.starts_after());
                tell_connection(app, LiveConnection::Connected);
                (lost_at, attempt) = (None, 0);
                while let Some(Ok(change)) = stream.next().await {
                    cursor = Some(change.id);
                    tell(app, &change, &mut notifier).await;
                }
            }
            // Signed out (here or by an admin).
            Err(err) if err.code == ErrorCode::NotSignedIn => return tell_session_ended(app),
            Err(err) => tracing::info!("the agency server's changes: {}", err.message),
        }
        attempt += 1;
        let since = *lost_at.get_or_insert_with(AppState::now);
        let offline = (AppState::now() - since).to_std().unwrap_or_default() >= OFFLINE_AFTER;
        tell_connection(
            app,
            match offline {
                true => LiveConnection::Offline { since },
                false => LiveConnection::Reconnecting { since, attempt },
            },
        );
        tokio::time::sleep(backoff(attempt)).await;
    }
}

/// Half a second, then doubling up to 15 s: a restarted server is found at once, one
/// that is down is not hammered.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500_u64.saturating_mul(1 << attempt.min(5).saturating_sub(1)).min(15_000))
}

async fn tell(app: &AppHandle, change: &Change, notifier: &mut Notifier) {
    // The desktop is decided on first, by the setting as it stands at the change: once
    // the window shows the change, its desktop notification was shown or not.
    if change.kind == ChangeKind::Notification {
        notifier.show_new(app).await;
    }
    if let Err(err) = app.emit(CHANGE_EVENT, change) {
        tracing::warn!("could not tell the window of a change: {err}");
    }
}

fn tell_session_ended(app: &AppHandle) {
    if let Err(err) = app.emit(SESSION_ENDED_EVENT, ()) {
        tracing::warn!("could not tell the window its session ended: {err}");
    }
}

fn tell_connection(app: &AppHandle, connection: LiveConnection) {
    if let Err(err) = app.emit(CONNECTION_EVENT, connection) {
        tracing::warn!("could not tell the window of the connection: {err}");
    }
}

/// Raises a desktop notification for each of the user's notifications newer than the
/// newest there was when following began (those are in the bell already).
struct Notifier {
    newest: i64,
}

impl Notifier {
    async fn new(app: &AppHandle) -> Self {
        let newest = match notifications(app).await {
            Ok(notifications) => notifications.items.iter().map(|item| item.id).max().unwrap_or(0),
            Err(_) => 0,
        };
        Self { newest }
    }

    async fn show_new(&mut self, app: &AppHandle) {
        let Ok(notifications) = notifications(app).await else { return };
        let popups = notifications.popups_after(self.newest);
        self.newest = notifications.newest_seen(self.newest);
        for popup in popups {
            let urgency = if popup.urgent { Urgency::Critical } else { Urgency::Normal };
            raise(&popup.title, &popup.body, urgency).await;
        }
    }
}

async fn notifications(app: &AppHandle) -> Result<Notifications, CommandError> {
    app.state::<AppState>().run(commands::Notifications {}).await
}

async fn raise(summary: &str, body: &str, urgency: Urgency) {
    if let Err(err) = desktop_notifications::show(summary, body, urgency).await {
        tracing::warn!("{err}");
    }
}
