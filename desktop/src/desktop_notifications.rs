//! Desktop notifications through the OS notification service (org.freedesktop.Notifications
//! on Linux, the notification centre on macOS and Windows), via notify-rust.
//! notify-rust blocks on D-Bus, so it runs on a blocking thread.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the desktop could not show a notification: {0}")]
pub struct NotifyError(String);

/// How insistent a notification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    /// An emergency: shown as critical, and kept on screen until it is dismissed.
    Critical,
}

/// Shows one notification: a summary line and a short body.
pub async fn show(summary: &str, body: &str, urgency: Urgency) -> Result<(), NotifyError> {
    let (summary, body) = (summary.to_owned(), body.to_owned());
    tokio::task::spawn_blocking(move || {
        let mut notification = notify_rust::Notification::new();
        notification.appname("Plumbline").summary(&summary).body(&body);
        if urgency == Urgency::Critical {
            critical(&mut notification);
        }
        #[cfg(target_os = "windows")]
        notification.app_id(crate::APP_ID);
        #[cfg(target_os = "macos")]
        as_this_app_on_macos();
        notification.show().map(drop).map_err(|err| NotifyError(err.to_string()))
    })
    .await
    .map_err(|err| NotifyError(err.to_string()))?
}

/// The freedesktop urgency hint where there is one (Linux), and no timeout anywhere.
fn critical(notification: &mut notify_rust::Notification) {
    #[cfg(all(unix, not(target_os = "macos")))]
    notification.urgency(notify_rust::Urgency::Critical);
    notification.timeout(notify_rust::Timeout::Never);
}

/// macOS shows a notification under the app that sent it; notify-rust sends as Finder
/// until told otherwise, once per process.
#[cfg(target_os = "macos")]
fn as_this_app_on_macos() {
    static CHOSEN: std::sync::Once = std::sync::Once::new();
    CHOSEN.call_once(|| {
        if let Err(err) = notify_rust::set_application(crate::APP_ID) {
            tracing::warn!("notifications will not show as Plumbline's: {err}");
        }
    });
}
