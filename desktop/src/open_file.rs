//! Opening a stored file in the app the OS uses for its type (a PDF viewer, a video
//! player): `xdg-open` on Linux, `open` on macOS, the shell on Windows.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no app could open the file: {0}")]
pub struct OpenFileError(String);

/// Opens `url` in the user's browser (the OS's handler for web addresses).
pub async fn open_in_browser(url: String) -> Result<(), OpenFileError> {
    tokio::task::spawn_blocking(move || open::that_detached(&url))
        .await
        .map_err(|err| OpenFileError(err.to_string()))?
        .map_err(|err| OpenFileError(err.to_string()))
}

/// Hands `path` to the OS's default app and returns once it has been launched.
pub async fn open_in_default_app(path: PathBuf) -> Result<(), OpenFileError> {
    tokio::task::spawn_blocking(move || open::that_detached(&path))
        .await
        .map_err(|err| OpenFileError(err.to_string()))?
        .map_err(|err| OpenFileError(err.to_string()))
}
