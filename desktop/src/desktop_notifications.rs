//! Desktop notifications through the OS notification service (org.freedesktop.Notifications
//! on Linux, the notification centre on macOS and Windows), via notify-rust.
//! notify-rust blocks on D-Bus, so it runs on a blocking thread.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the desktop could not show a notification: {0}")]
pub struct NotifyError(String);

/// Shows one notification: a summary line and a short body.
pub async fn show(summary: &str, body: &str) -> Result<(), NotifyError> {
    let (summary, body) = (summary.to_owned(), body.to_owned());
    tokio::task::spawn_blocking(move || {
        notify_rust::Notification::new()
            .appname("Plumbline")
            .summary(&summary)
            .body(&body)
            .show()
            .map(drop)
            .map_err(|err| NotifyError(err.to_string()))
    })
    .await
    .map_err(|err| NotifyError(err.to_string()))?
}
