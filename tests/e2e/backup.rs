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
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(store).await?;
    Ok(Actor { user_id: UserId(id), role: Role::Admin })
}

/// A staff member added straight into the store, as another window would.
async fn add_staff(store: &Store, name: &str, email: &str) -> Result<()> {
    let user = NewUser {
        name: name.into(),
        email: email.into(),
        phone: String::new(),
        role: Role::Staff,
        company: String::new(),
    };
    accounts::create_user(store, admin(store).await?, chrono::Utc::now(), &user).await?;
    Ok(())
}

/// Whether the Users page finds `email`, searching for it.
async fn users_page_lists(app: &App, email: &str) -> Result<bool> {
    app.go_to("Users").await?;
    app.wait_for("#user-search").await?.send_keys(email).await?;
    let shown =
        app.wait_for_text(".users-card", |text| text.contains(email) || text.contains("No one matches")).await?;
    Ok(shown.contains(email))
}

/// The agency's name as the store holds it: what a preview of its backup must show.
async fn agency_name(store: &Store) -> Result<String> {
    let (name,): (String,) = Sql::new("SELECT name FROM agency").fetch_one(store).await?;
    Ok(name)
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

    app.go_to("Backups").await?;
    app.wait_for("#back-up-now").await?.click().await?;
    let typed = archive.to_string_lossy().into_owned();
    let at = display.clone();
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&at, "^Back up Plumbline", "ctrl+a", &typed, &["Return"])
    })
    .await??;
    let done = app.text("[data-testid=backup-done]").await.context("the backup is reported")?;
    assert!(done.contains("harbour-lettings.plumbline-backup"), "{done}");
    assert!(archive.is_file(), "the archive is where it was saved");
    app.save_screen("backup-page").await?;

    add_staff(&store, "Nadia After", "nadia.after@example.com").await?;
    let backed_up_agency = agency_name(&store).await?;
    drop(store);
    app.wait_for("#choose-restore").await?.click().await?;
    let typed = archive.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&display, "^Restore a Plumbline backup", "ctrl+l", &typed, &["Return"])
    })
    .await??;
    let agency = app.text("[data-testid=restore-agency]").await.context("the backup is previewed")?;
    assert_eq!(agency, backed_up_agency, "the archive's agency, as stored");
    let counts = app.text("[data-testid=restore-counts]").await?;
    assert!(counts.contains("work orders") && counts.contains("people"), "{counts}");
    app.save_screen("restore-preview").await?;
    app.wait_for("#confirm-restore").await?.click().await?;

    app.wait_for("#sign-in").await.context("everyone signs in again after a restore")?;
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
    app.go_to("Backups").await?;
    app.wait_for("#back-up-now").await?;
    app.finish().await
}

/// Scheduled backups are the background engine's, which looks once a minute.
const ENGINE_TURN: std::time::Duration = std::time::Duration::from_secs(75);

#[tokio::test]
async fn daily_backups_go_to_a_folder_chosen_in_the_native_dialog() -> Result<()> {
    let app = App::start("backup-schedule", Launch::default()).await?;
    let admin_id = admin(&app.store().await?).await?.user_id;
    app.sign_in_as(admin_id).await?;
    app.wait_for("[data-testid=workload]").await?;
    let folder = tempfile::tempdir()?;

    app.go_to("Backups").await?;
    app.set_value("#backups-kept", "3").await?;
    app.wait_for("#choose-backup-folder").await?.click().await?;
    let (display, typed) = (app.display()?, format!("{}/", folder.path().display()));
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&display, "^Folder for daily backups", "ctrl+l", &typed, &["Return", "Return"])
    })
    .await??;
    let shown = app.text("[data-testid=backup-folder]").await.context("the folder is shown")?;
    assert_eq!(shown, folder.path().display().to_string());
    app.save_screen("backup-schedule").await?;

    let deadline = std::time::Instant::now() + ENGINE_TURN;
    let written = loop {
        let found: Vec<_> = std::fs::read_dir(folder.path())?
            .filter_map(|entry| entry.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|name| name.starts_with("plumbline-") && name.ends_with(".plumbline-backup"))
            .collect();
        if let Some(name) = found.first() {
            break name.clone();
        }
        assert!(std::time::Instant::now() < deadline, "no scheduled backup within a minute of choosing the folder");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    app.go_to("Dashboard").await?;
    app.go_to("Backups").await?;
    let last = app.wait_for_text("[data-testid=last-backup]", |text| text.contains(&written)).await?;
    assert!(last.starts_with("Last backup"), "{last}");
    let settings = std::fs::read_to_string(app.store_dir().join("backups.json"))?;
    assert!(settings.contains("\"keep\": 3"), "{settings}");
    app.finish().await
}

#[tokio::test]
async fn a_new_computer_restores_its_agency_from_a_backup_on_the_set_up_screen() -> Result<()> {
    let old_computer = tempfile::tempdir()?;
    let store = Store::open(old_computer.path()).await?;
    plumbline_service::seed::demo_if_empty(&store, chrono::Utc::now()).await?;
    let archive = old_computer.path().join("from-the-old-computer.plumbline-backup");
    plumbline_service::backup::back_up(&store, admin(&store).await?, &archive, chrono::Utc::now()).await?;
    let admin_id = admin(&store).await?.user_id;
    let app = App::start("backup-new-computer", Launch { real_store: true, ..Launch::default() }).await?;
    app.wait_for("#agency").await.context("a new computer opens on set-up")?;

    app.wait_for("#choose-restore").await?.click().await?;
    let (display, typed) = (app.display()?, archive.to_string_lossy().into_owned());
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&display, "^Restore a Plumbline backup", "ctrl+l", &typed, &["Return"])
    })
    .await??;
    assert_eq!(app.text("[data-testid=restore-agency]").await?, agency_name(&store).await?);
    app.save_screen("backup-new-computer-preview").await?;
    app.wait_for("#confirm-restore").await?.click().await?;

    app.wait_for("#sign-in").await.context("the restored agency's sign-in (the set-up form has an #email too)")?;
    app.sign_in_as(admin_id).await?;
    app.wait_for("[data-testid=workload]").await.context("the restored agency's dashboard")?;
    app.finish().await
}

/// A backup double-clicked in the file manager starts Plumbline with its path (the
/// installers' file association): the admin lands on Backup & restore, where it is
/// offered by name, and one click shows what it holds. Cancelling changes nothing and
/// lets it go. (Confirming is the same step as for a backup chosen in the dialog, which
/// the test above takes.)
#[tokio::test]
async fn a_backup_opened_from_the_file_manager_is_offered_to_the_admin_to_look_at() -> Result<()> {
    let old_computer = tempfile::tempdir()?;
    let store = Store::open(old_computer.path()).await?;
    plumbline_service::seed::demo_if_empty(&store, chrono::Utc::now()).await?;
    add_staff(&store, "Olivia Opened", "olivia.opened@example.com").await?;
    let archive = old_computer.path().join("Harbour Lettings 2026-12-01.plumbline-backup");
    plumbline_service::backup::back_up(&store, admin(&store).await?, &archive, chrono::Utc::now()).await?;
    let typed = archive.to_string_lossy().into_owned();

    let app = App::start("backup-opened", Launch { args: &[&typed], ..Launch::default() }).await?;
    let admin_id = admin(&app.store().await?).await?.user_id;
    app.sign_in_as(admin_id).await?;
    let offered = app.text("[data-testid=opened-backup]").await.context("the admin starts on the opened backup")?;
    assert!(offered.contains("Harbour Lettings 2026-12-01.plumbline-backup"), "{offered}");
    app.save_screen("backup-opened-offered").await?;
    app.wait_for("#look-at-opened-backup").await?.click().await?;
    assert_eq!(app.text("[data-testid=restore-agency]").await?, agency_name(&store).await?);
    let counts = app.text("[data-testid=restore-counts]").await?;
    assert!(counts.contains("work orders") && counts.contains("people"), "{counts}");
    app.wait_for("#cancel-restore").await?.click().await?;

    app.wait_for("#choose-restore").await.context("back to choosing a backup")?;
    app.wait_for_gone("[data-testid=opened-backup]").await.context("offered once, then let go of")?;
    assert!(!users_page_lists(&app, "olivia.opened@example.com").await?, "nothing was restored");
    app.finish().await
}
