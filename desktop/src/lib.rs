//! Plumbline's desktop integrations. Each talks to a real OS service, so each is
//! wrapped here behind a small async API that the shell calls and tests exercise
//! against the real service (see `scripts/with-desktop-session.sh`).

/// The app's identifier, as `tauri.conf.json` gives it (a shell test holds the two
/// together). Windows and macOS know an app by it: the Windows installer gives the Start
/// menu shortcut this AppUserModelID, the macOS bundle this bundle identifier, and a
/// notification sent under it shows as Plumbline's rather than PowerShell's or Finder's.
pub const APP_ID: &str = "app.plumbline.desk";

pub mod desktop_notifications;
pub mod file_dialog;
pub mod keyring_secrets;
pub mod message_dialog;
pub mod open_file;

pub use file_dialog::{
    FileDialogError, choose_attachments, choose_backup_destination, choose_backup_folder, choose_backup_to_restore,
    choose_certificate_file, choose_csv_destination, choose_import_file, choose_pdf_destination,
};
pub use keyring_secrets::{KeyringError, NOT_REMEMBERED, RememberedSession, SmtpPasswordEntry};
pub use open_file::{OpenFileError, open_in_browser, open_in_default_app};
