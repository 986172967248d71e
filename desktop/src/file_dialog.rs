//! The native "choose files" dialog (GTK's on Linux, the system's on macOS and Windows).
//!
//! Only chosen paths come out of here; reading and checking them is the service's work
//! (`plumbline_service::attachments`), so every rule is tested without a dialog. With
//! GTK and no display the dialog never returns, which is why it stays at this edge.

use std::path::PathBuf;

/// The extensions the dialog offers first; the content decides what a file is.
const PHOTO_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "heic", "heif"];
const VIDEO_EXTENSIONS: &[&str] = &["mp4", "m4v", "mov"];
const PDF_EXTENSIONS: &[&str] = &["pdf"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the file dialog could not be shown: {0}")]
pub struct FileDialogError(String);

/// Asks the user for photos, videos or PDFs, several at once; cancelling chooses none.
/// Blocks a worker thread, never an async one: GTK runs the dialog on its own thread
/// and this call waits for it.
pub async fn choose_attachments() -> Result<Vec<PathBuf>, FileDialogError> {
    tokio::task::spawn_blocking(|| {
        let all: Vec<&str> = [PHOTO_EXTENSIONS, VIDEO_EXTENSIONS, PDF_EXTENSIONS].concat();
        rfd::FileDialog::new()
            .set_title("Add photos / files")
            .add_filter("Photos, videos and PDFs", &all)
            .add_filter("Photos", PHOTO_EXTENSIONS)
            .add_filter("Videos", VIDEO_EXTENSIONS)
            .add_filter("PDFs", PDF_EXTENSIONS)
            .pick_files()
            .unwrap_or_default()
    })
    .await
    .map_err(|err| FileDialogError(err.to_string()))
}

/// Asks for one compliance certificate: its PDF, or a photo of it.
pub async fn choose_certificate_file() -> Result<Option<PathBuf>, FileDialogError> {
    run(|| {
        let all: Vec<&str> = [PDF_EXTENSIONS, PHOTO_EXTENSIONS].concat();
        rfd::FileDialog::new()
            .set_title("Certificate file")
            .add_filter("PDFs and photos", &all)
            .add_filter("PDFs", PDF_EXTENSIONS)
            .add_filter("Photos", PHOTO_EXTENSIONS)
            .pick_file()
    })
    .await
}

/// Asks for one spreadsheet saved as CSV (or tab-separated text) to import.
pub async fn choose_import_file() -> Result<Option<PathBuf>, FileDialogError> {
    run(|| {
        rfd::FileDialog::new()
            .set_title("Import from a spreadsheet (CSV)")
            .add_filter("CSV or text", &["csv", "txt", "tsv"])
            .pick_file()
    })
    .await
}

/// Asks where to save a CSV file, suggesting `file_name`; cancelling chooses nowhere.
pub async fn choose_csv_destination(
    title: &'static str,
    file_name: String,
) -> Result<Option<PathBuf>, FileDialogError> {
    run(move || {
        rfd::FileDialog::new().set_title(title).set_file_name(file_name).add_filter("CSV", &["csv"]).save_file()
    })
    .await
}

/// Asks where to save a PDF, suggesting `file_name`; cancelling chooses nowhere.
pub async fn choose_pdf_destination(
    title: &'static str,
    file_name: String,
) -> Result<Option<PathBuf>, FileDialogError> {
    run(move || {
        rfd::FileDialog::new().set_title(title).set_file_name(file_name).add_filter("PDF", &["pdf"]).save_file()
    })
    .await
}

/// The extension of Plumbline's backups (`plumbline_service::backup::EXTENSION`).
const BACKUP_EXTENSIONS: &[&str] = &["plumbline-backup"];

/// Asks where to save a backup, suggesting `file_name`; `None` if cancelled. The dialog
/// asks before replacing an existing file.
pub async fn choose_backup_destination(file_name: String) -> Result<Option<PathBuf>, FileDialogError> {
    run(move || {
        rfd::FileDialog::new()
            .set_title("Back up Plumbline")
            .set_file_name(file_name)
            .add_filter("Plumbline backups", BACKUP_EXTENSIONS)
            .save_file()
    })
    .await
}

/// Asks for the folder daily backups go to; `None` if cancelled.
pub async fn choose_backup_folder() -> Result<Option<PathBuf>, FileDialogError> {
    run(|| {
        let dialog = rfd::FileDialog::new().set_title("Folder for daily backups");
        // GTK would start in "Recent", which lists files, not folders.
        let dialog = match std::env::home_dir() {
            Some(home) => dialog.set_directory(home),
            None => dialog,
        };
        dialog.pick_folder()
    })
    .await
}

/// Asks for a backup to restore; `None` if cancelled.
pub async fn choose_backup_to_restore() -> Result<Option<PathBuf>, FileDialogError> {
    run(|| {
        rfd::FileDialog::new()
            .set_title("Restore a Plumbline backup")
            .add_filter("Plumbline backups", BACKUP_EXTENSIONS)
            .pick_file()
    })
    .await
}

/// Runs a dialog on a worker thread (see `choose_attachments`).
async fn run<T: Send + 'static>(dialog: impl FnOnce() -> T + Send + 'static) -> Result<T, FileDialogError> {
    tokio::task::spawn_blocking(dialog).await.map_err(|err| FileDialogError(err.to_string()))
}
