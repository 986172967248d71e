//! Attachments through the real native dialog: GTK's file chooser under Xvfb, driven
//! with xdotool as a person would type a path into it.

use crate::harness::App;
use anyhow::{Context, Result, bail};
use plumbline_domain::{Reference, WorkOrderId};
use plumbline_service::db::Sql;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;

/// Types `path` into the open GTK file chooser (Ctrl+L opens its location field).
pub(crate) fn choose_in_native_dialog(display: &str, path: &str) -> Result<()> {
    type_into_native_dialog(display, "^Add photos", "ctrl+l", path, &["Return"])
}

/// Types `path` into the open GTK dialog whose title matches `title`, after pressing
/// `first` (Ctrl+L for an open dialog's location field, Ctrl+A to replace a save
/// dialog's suggested name), then presses `then` (Return; twice in a folder dialog, whose
/// first Return opens the folder typed and second chooses it).
pub(crate) fn type_into_native_dialog(
    display: &str,
    title: &str,
    first: &str,
    path: &str,
    then: &[&str],
) -> Result<()> {
    let xdotool = |args: &[&str]| -> Result<()> {
        let status = Command::new("xdotool").args(args).env("DISPLAY", display).status().context("xdotool")?;
        if !status.success() {
            bail!("xdotool {args:?} failed");
        }
        Ok(())
    };
    // The dialog takes a moment to map; then it gets the keyboard (there is no window
    // manager under Xvfb to give it focus).
    for _ in 0..50 {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", title])
            .env("DISPLAY", display)
            .output()?;
        let window = String::from_utf8_lossy(&found.stdout).lines().next().map(str::to_owned);
        if let Some(window) = window {
            std::thread::sleep(Duration::from_millis(800));
            xdotool(&["windowfocus", "--sync", &window])?;
            xdotool(&["key", "--window", &window, first])?;
            std::thread::sleep(Duration::from_millis(300));
            xdotool(&["type", "--delay", "20", path])?;
            for key in then {
                // Let the location field's completion settle, or it takes the Return.
                std::thread::sleep(Duration::from_millis(800));
                xdotool(&["key", key])?;
            }
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("the native dialog {title} never appeared")
}

/// Clicks `button`, saves as `file_name` (in a new temporary folder) through the
/// native save dialog titled `dialog_title` (a regex), and waits for the page to say
/// "Saved to"; returns the folder (kept while the test needs it) and the file.
pub(crate) async fn save_through_dialog(
    app: &App,
    button: &str,
    dialog_title: &str,
    file_name: &str,
) -> Result<(TempDir, PathBuf)> {
    let (folder, file) = start_saving_through_dialog(app, button, dialog_title, file_name).await?;
    let said = wait_for_export_said(app, button).await?;
    if !said.starts_with("Saved to") {
        bail!("saving {file_name} said {said:?}");
    }
    Ok((folder, file))
}

/// Clicks `button` and names `file_name` (in a new folder) in the save dialog it opens.
pub(crate) async fn start_saving_through_dialog(
    app: &App,
    button: &str,
    dialog_title: &str,
    file_name: &str,
) -> Result<(TempDir, PathBuf)> {
    let folder = tempfile::tempdir()?;
    let file = folder.path().join(file_name);
    app.wait_for(button).await?.click().await?;
    let (display, path, title) = (app.display()?, file.display().to_string(), dialog_title.to_owned());
    tokio::task::spawn_blocking(move || type_into_native_dialog(&display, &title, "ctrl+a", &path, &["Return"]))
        .await??;
    Ok((folder, file))
}

/// What the export beside `button` said once it ended.
pub(crate) async fn wait_for_export_said(app: &App, button: &str) -> Result<String> {
    // The notice beside the button, by its own text: WebKitWebDriver reads text that may
    // be cut with an ellipsis as "".
    let said = format!(
        "document.querySelector({button:?}).closest('.export').querySelector('[data-testid=export-said]')?.textContent ?? ''"
    );
    crate::search::wait_until(app, &said, |t| !t.is_empty()).await
}

#[tokio::test]
async fn a_photo_chosen_in_the_native_dialog_is_stored_by_its_hash_and_shown() -> Result<()> {
    let app = App::launch("attach-photo").await?;
    let store = app.store().await?;
    let (id,): (i64,) = Sql::new("SELECT id FROM work_orders WHERE state = 'InProgress' ORDER BY id DESC LIMIT 1")
        .fetch_one(&store)
        .await?;
    let reference = Reference::of(WorkOrderId(id));
    app.go_to("Work orders").await?;
    app.row(&reference).await?.click().await?;
    app.wait_for("[data-testid=add-attachments]").await?.click().await?;

    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../service/tests/fixtures/leak.jpg");
    let photo = photo.canonicalize()?;
    let display = app.display()?;
    let path = photo.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || choose_in_native_dialog(&display, &path)).await??;

    app.wait_for("[data-testid=thumbnail]").await.context("the photo shows as a thumbnail")?;
    let (name, media, sha): (String, String, String) =
        Sql::new("SELECT file_name, media_type, sha256 FROM attachments WHERE work_order_id = ?")
            .bind(id)
            .fetch_one(&store)
            .await?;
    assert_eq!(name, "leak.jpg");
    assert!(media.contains("jpeg"), "{media}");
    assert!(app.store_dir().join("files").join(&sha).exists(), "stored under its content hash");
    app.wait_for("[data-testid=thumbnail]").await?.click().await?;
    app.wait_for("[data-testid=viewer]").await?;
    app.save_screen("attachment-viewer").await?;
    app.finish().await
}
