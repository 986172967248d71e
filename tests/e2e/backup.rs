//! Backup and restore through the real app and its native dialogs: the admin backs up to a
//! file typed into GTK's save dialog, the store changes afterwards, and restoring that
//! backup (chosen in GTK's open dialog, previewed, then confirmed) brings back the store
//! as it was, with the one in use kept aside.

use crate::attachments::type_into_native_dialog;
use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use plumbline_domain::api::NewUser;
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::db::Sql;
use plumbline_service::{Store, accounts};

async fn admin(store: &Store) -> Result<Actor> {
    let (id,): (i64,) = Sql::new("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(store).await?;
    Ok(Actor { user_id: UserId(id), role: Role::Admin })
}

/// A staff member added straight into the store, as another window would.
async fn add_staff(store: &Store, name: &str, email: &str) -> Result<()> {
    let user = NewUser { name: name.into(), email: email.into(), phone: String::new(), role: Role::Staff, company: String::new() };
    accounts::create_user(store, admin(store).await?, chrono::Utc::now(), &user).await?;
    Ok(())
}

/// Whether the Users page finds `email`, searching for it.
async fn users_page_lists(app: &App, email: &str) -> Result<bool> {
    app.go_to("Users").await?;
    app.wait_for("#user-search").await?.send_keys(email).await?;
    let shown = app
        .wait_for_text(".users-card", |text| text.contains(email) || text.contains("No one matches"))
        .await?;
    Ok(shown.contains(email))
}

#[tokio::test]
async fn an_admin_backs_up_then_restores_and_the_store_is_as_it_was() -> Result<()> {
    let app = App::start("backup-restore", Launch::default()).await?;
    let store = app.store().await?;
    let admin_id = admin(&store).await?.user_id;
    add_staff(&store, "Bella Before", "bella.before@example.com").await?;
    app.sign_in_as(admin_id).await?;
    app.wait_for("[data-testid=workload]").await?;
    let display = app.display()?;
    let folder = tempfile::tempdir()?;
    let archive = folder.path().join("harbour-lettings.plumbline-backup");

    app.go_to("Backup & restore").await?;
    app.wait_for("#back-up-now").await?.click().await?;
    let typed = archive.to_string_lossy().into_owned();
    let at = display.clone();
    tokio::task::spawn_blocking(move || type_into_native_dialog(&at, "^Back up Plumbline", "ctrl+a", &typed)).await??;
    let done = app.text("[data-testid=backup-done]").await.context("the backup is reported")?;
    assert!(done.contains("harbour-lettings.plumbline-backup"), "{done}");
    assert!(archive.is_file(), "the archive is where it was saved");
    app.save_screen("backup-page").await?;

    add_staff(&store, "Nadia After", "nadia.after@example.com").await?;
    drop(store);
    app.wait_for("#choose-restore").await?.click().await?;
    let typed = archive.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&display, "^Restore a Plumbline backup", "ctrl+l", &typed)
    })
    .await??;
    let agency = app.text("[data-testid=restore-agency]").await.context("the backup is previewed")?;
    assert_eq!(agency, "Harbour Lettings");
    let counts = app.text("[data-testid=restore-counts]").await?;
    assert!(counts.contains("work orders") && counts.contains("people"), "{counts}");
    app.save_screen("restore-preview").await?;
    app.wait_for("#confirm-restore").await?.click().await?;

    app.wait_for("#email").await.context("everyone signs in again after a restore")?;
    app.sign_in_as(admin_id).await?;
    app.wait_for("[data-testid=workload]").await?;
    assert!(users_page_lists(&app, "bella.before@example.com").await?, "a user added before the backup is back");
    assert!(!users_page_lists(&app, "nadia.after@example.com").await?, "one added after it is not");
    let aside: Vec<_> = std::fs::read_dir(app.store_dir())?
        .filter_map(|entry| entry.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.starts_with("replaced-"))
        .collect();
    assert_eq!(aside.len(), 1, "the replaced store is kept aside: {aside:?}");
    let kept = app.store_dir().join(&aside[0]);
    assert!(kept.join("plumbline.sqlite3").is_file(), "with its database");
    let replaced = Store::open(&kept).await?;
    let (after,): (i64,) =
        Sql::new("SELECT count(*) FROM users WHERE email = 'nadia.after@example.com'").fetch_one(&replaced).await?;
    assert_eq!(after, 1, "and the write made after the backup is still in it");
    app.go_to("Backup & restore").await?;
    app.wait_for("#back-up-now").await?;
    app.finish().await
}
