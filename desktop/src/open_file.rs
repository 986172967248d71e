//! Opening a stored file in the app the OS uses for its type (a PDF viewer, a video
//! player): `xdg-open` on Linux, `open` on macOS, the shell on Windows.

use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no app could open the file: {0}")]
pub struct OpenFileError(String);

/// Opens `url` in the user's browser (the OS's handler for web addresses).
pub async fn open_in_browser(url: String) -> Result<(), OpenFileError> {
    hand_to_os(url.into()).await
}

/// Hands `path` to the OS's default app and returns once it has been launched.
pub async fn open_in_default_app(path: PathBuf) -> Result<(), OpenFileError> {
    hand_to_os(path.into_os_string()).await
}

/// Launches the OS's handler for `target` (a path or an address) off the async threads.
async fn hand_to_os(target: OsString) -> Result<(), OpenFileError> {
    tokio::task::spawn_blocking(move || open::that_detached(&target))
        .await
        .map_err(|err| OpenFileError(err.to_string()))?
        .map_err(|err| OpenFileError(err.to_string()))
}
