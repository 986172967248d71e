//! Sign-in in the real app: remember me through the real Secret Service across a
//! restart, sign-out forgetting it, lockout and an admin's unlock, an invitation taken
//! up, and the set-up of a new store.

use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use chrono::Utc;
use plumbline_desktop::RememberedSession;
use plumbline_domain::commands;
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::db::Sql;
use plumbline_service::{Store, accounts, users};

async fn first_of(store: &Store, role: Role) -> Result<(UserId, String, String)> {
    let (id, name, email): (i64, String, String) =
        Sql::new("SELECT id, name, email FROM users WHERE role = ? ORDER BY id LIMIT 1")
            .bind(role.as_str())
            .fetch_one(store)
            .await?;
    Ok((UserId(id), name, email))
}

async fn live_sessions(store: &Store, user: UserId) -> Result<i64> {
    let (count,): (i64,) = Sql::new("SELECT count(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL")
        .bind(user.0)
        .fetch_one(store)
        .await?;
    Ok(count)
}

#[tokio::test]
async fn remember_me_survives_a_restart_and_signing_out_forgets_it() -> Result<()> {
    let app = App::start("remember-me", Launch::default()).await?;
    let store = app.store().await?;
    let (landlord, name, email) = first_of(&store, Role::Landlord).await?;
    let keyring = RememberedSession::for_store(store.name());
    assert_eq!(keyring.load().await?, None);
    // The entry is keyed by the store, not the person: the box says what that means.
    app.wait_for_text(".remember #remember-shared", |t| {
        t == "Anyone using this computer account will open Plumbline as you."
    })
    .await
    .context("the sign-in screen warns that Remember me is for the whole OS account")?;

    app.sign_in(&email, accounts::DEMO_PASSWORD, true).await?;
    app.wait_for_text(".who-name", |t| t == name).await?;
    let secret = keyring.load().await?.context("the Secret Service holds the remembered session")?;
    assert_eq!(live_sessions(&store, landlord).await?, 1);
    let digests: Vec<(String,)> = Sql::new("SELECT token_sha256 FROM sessions").fetch_all(&store).await?;
    assert!(digests.iter().all(|(digest,)| *digest != secret), "the store keeps only a digest");

    let app = app.restart().await?;
    app.wait_for_text(".who-name", |t| t == name).await.context("signed in again after the restart")?;
    assert!(app.find_all("#email").await?.is_empty(), "no sign-in screen");

    app.wait_for("#sign-out").await?.click().await?;
    app.wait_for("#email").await?;
    assert_eq!(keyring.load().await?, None, "signing out removed the secret from the keyring");
    assert_eq!(live_sessions(&store, landlord).await?, 0, "and revoked the session");

    let app = app.restart().await?;
    app.wait_for("#email").await.context("after signing out, a restart shows the sign-in screen")?;
    app.finish().await
}

#[tokio::test]
async fn five_wrong_passwords_lock_an_account_until_an_admin_unlocks_it() -> Result<()> {
    let app = App::start("lockout", Launch::default()).await?;
    let store = app.store().await?;
    let (_, name, email) = first_of(&store, Role::Staff).await?;
    for attempt in 1..=5 {
        app.client.refresh().await?;
        app.sign_in(&email, "not-my-password", false).await?;
        let shown = app.wait_for_text(".error-banner", |t| !t.is_empty()).await?;
        let expected = if attempt < 5 { "do not match" } else { "locked for 15 minutes" };
        assert!(shown.contains(expected), "attempt {attempt}: {shown}");
    }
    app.client.refresh().await?;
    app.sign_in(&email, accounts::DEMO_PASSWORD, false).await?;
    let shown = app.wait_for_text(".error-banner", |t| t.contains("locked")).await?;
    assert!(shown.contains("An agency admin can unlock it"), "{shown}");

    // The admin, picked from the demo agency's accounts, unlocks it.
    app.client.refresh().await?;
    app.wait_for("button.demo-account[data-role=admin]").await?.click().await?;
    app.wait_for("#sign-in").await?.click().await?;
    app.go_to("Users").await?;
    app.wait_for("#user-search").await?.send_keys(&email).await?;
    let row = format!("tr[data-user='{email}']");
    app.wait_for_text(&row, |t| t.contains("Locked")).await?;
    app.wait_for(&format!("{row} .row-actions button")).await?.click().await?;
    app.wait_for_text(&row, |t| t.contains("Active")).await?;
    app.save_screen("users").await?;

    app.wait_for("#sign-out").await?.click().await?;
    app.sign_in(&email, accounts::DEMO_PASSWORD, false).await?;
    app.wait_for_text(".who-name", |t| t == name).await?;
    app.finish().await
}

#[tokio::test]
async fn an_invited_contractor_signs_in_once_with_the_temporary_password() -> Result<()> {
    let app = App::start("invite", Launch::default()).await?;
    let store = app.store().await?;
    let (admin, ..) = first_of(&store, Role::Admin).await?;
    app.sign_in_as(admin).await?;
    app.go_to("Users").await?;
    app.wait_for("#invite-user").await?.click().await?;
    app.wait_for("#invite-name").await?.send_keys("Kofi Mensah").await?;
    app.wait_for("#invite-email").await?.send_keys("not an address").await?;
    app.wait_for("#invite-role option[value=contractor]").await?.click().await?;
    app.wait_for("#invite-company").await?.send_keys("Mensah Plumbing").await?;
    app.wait_for("#create-user").await?.click().await?;
    app.wait_for_text("#invite-email-error", |t| t.contains("e-mail address")).await?;

    app.wait_for("#invite-email").await?.clear().await?;
    app.wait_for("#invite-email").await?.send_keys("kofi@mensah.example").await?;
    app.wait_for("#create-user").await?.click().await?;
    let temporary = app.text("[data-testid=temporary-password]").await?;
    app.wait_for("[data-testid=copy-password]").await?.click().await?;
    app.wait_for_text("[data-testid=copy-password]", |t| t == "Copied ✓").await.context("copied for pasting")?;
    app.save_screen("invited").await?;
    let (id,): (i64,) = Sql::new("SELECT id FROM users WHERE lower(email) = lower(?)")
        .bind("kofi@mensah.example")
        .fetch_one(&store)
        .await?;
    let new_user = UserId(id);
    let stored = users::actor(&store, new_user).await?;
    assert_eq!(stored.role, Role::Contractor);

    app.wait_for("#sign-out").await?.click().await?;
    app.sign_in("kofi@mensah.example", &temporary, false).await?;
    app.wait_for("#new-password").await.context("a temporary password must be replaced first")?;
    let refused = app.invoke::<commands::GetWorkOrder>(serde_json::json!({ "id": 1 })).await?;
    assert_eq!(refused["err"]["code"], "not_signed_in", "nothing else opens before the change: {refused}");
    app.wait_for("#current-password").await?.send_keys(&temporary).await?;
    app.wait_for("#new-password").await?.send_keys("pipes and valves 42").await?;
    app.wait_for("#confirm-password").await?.send_keys("pipes and valves 42").await?;
    app.wait_for("#change-password").await?.click().await?;
    app.wait_for_text(".who-name", |t| t == "Kofi Mensah").await?;
    let (must_change,): (bool,) =
        Sql::new("SELECT must_change_password FROM users WHERE id = ?").bind(new_user.0).fetch_one(&store).await?;
    assert!(!must_change);
    app.finish().await
}

#[tokio::test]
async fn a_new_store_is_set_up_with_its_agency_and_first_admin() -> Result<()> {
    let app = App::start("set-up", Launch { real_store: true, ..Launch::default() }).await?;
    app.wait_for("#agency").await?.send_keys("Riverside Lettings").await?;
    app.wait_for("#name").await?.send_keys("Dana Reid").await?;
    app.wait_for("#email").await?.send_keys("dana@riverside.example").await?;
    // A short password is called short, not "different", whatever the second box says.
    app.wait_for("#password").await?.send_keys("short").await?;
    app.wait_for("#create-agency").await?.click().await?;
    app.wait_for_text("#password-error", |t| t.starts_with("Use at least")).await?;
    assert!(app.find_all("#confirm-error").await?.is_empty());
    app.wait_for("#password").await?.clear().await?;
    app.wait_for("#password").await?.send_keys("riverside lettings 2026").await?;
    app.wait_for("#confirm").await?.send_keys("riverside lettings 2026").await?;
    app.save_screen("set-up").await?;
    app.wait_for("#create-agency").await?.click().await?;
    app.wait_for_text(".who-role", |t| t.contains("Riverside Lettings")).await?;
    app.wait_for("[data-nav='Users']").await?;
    let store = app.store().await?;
    let (_, name, email) = first_of(&store, Role::Admin).await?;
    assert_eq!((name.as_str(), email.as_str()), ("Dana Reid", "dana@riverside.example"));

    let app = app.restart().await?;
    app.wait_for("#email").await.context("the next start asks to sign in, not to set up again")?;
    app.finish().await
}

#[tokio::test]
async fn an_admin_deactivates_an_account_with_a_second_click_and_it_cannot_sign_in() -> Result<()> {
    let app = App::start("deactivate", Launch::default()).await?;
    let store = app.store().await?;
    let (admin, ..) = first_of(&store, Role::Admin).await?;
    let (_, _, email) = first_of(&store, Role::Landlord).await?;
    app.sign_in_as(admin).await?;
    app.go_to("Users").await?;
    app.wait_for("#user-search").await?.send_keys(&email).await?;
    let row = format!("tr[data-user='{email}']");
    app.wait_for(&format!("{row} [data-testid=deactivate]")).await?.click().await?;
    app.wait_for_text(&row, |t| t.contains("Signs them out everywhere")).await?;
    app.save_screen("users-confirm-deactivate").await?;
    app.wait_for(&format!("{row} [data-testid=confirm-deactivate]")).await?.click().await?;
    app.wait_for_text(&row, |t| t.contains("Deactivated")).await?;
    app.wait_for(&format!("{row} [data-testid=reactivate]")).await?;
    let (deactivated,): (bool,) =
        Sql::new("SELECT deactivated_at IS NOT NULL FROM users WHERE lower(email) = lower(?)")
            .bind(&email)
            .fetch_one(&store)
            .await?;
    assert!(deactivated, "stored");
    // Recorded in the audit log under the list, who did it to whom.
    let (_, admin_name, _) = first_of(&store, Role::Admin).await?;
    let logged = app.wait_for_text("table.audit tr[data-action=deactivated]", |t| t.contains(&email)).await?;
    assert!(logged.contains(&format!("{admin_name} deactivated")), "{logged}");

    app.wait_for("#sign-out").await?.click().await?;
    app.sign_in(&email, accounts::DEMO_PASSWORD, false).await?;
    let shown = app.wait_for_text(".error-banner", |t| !t.is_empty()).await?;
    assert!(shown.contains("This account has been deactivated"), "{shown}");
    app.finish().await
}

#[tokio::test]
async fn a_session_open_in_the_window_ends_when_an_admin_deactivates_it_or_after_the_agencys_idle_time() -> Result<()> {
    let app = App::start("session-ends", Launch::default()).await?;
    let store = app.store().await?;
    let (admin, ..) = first_of(&store, Role::Admin).await?;
    let admin = Actor { user_id: admin, role: Role::Admin };
    let (staff, name, _) = first_of(&store, Role::Staff).await?;
    app.sign_in_as(staff).await?;
    app.wait_for_text(".who-name", |t| t == name).await?;

    // Another computer's admin deactivates the account: this window hears of it at once.
    accounts::set_user_active(&store, admin, Utc::now(), staff, false).await?;
    app.wait_for_text("#session-ended", |t| t.contains("Your session has ended"))
        .await
        .context("the open desk goes to the sign-in screen and says why")?;
    assert!(!app.find_all("#email").await?.is_empty());
    app.save_screen("session-ended").await?;

    // Reactivated, under a five-minute idle time: five minutes without a key or the
    // pointer (the webview's clock moved on) sign the desk out, and end the session.
    accounts::set_user_active(&store, admin, Utc::now(), staff, true).await?;
    Sql::new("UPDATE agency SET idle_sign_out_minutes = 5").execute(&store).await?;
    app.sign_in_as(staff).await?;
    app.wait_for_text(".who-name", |t| t == name).await?;
    assert_eq!(live_sessions(&store, staff).await?, 1);
    app.eval("(() => { const real = Date.now; Date.now = () => real() + 6 * 60 * 1000; return true; })()").await?;
    app.wait_for_text("#session-ended", |t| t.contains("after 5 minutes without activity"))
        .await
        .context("signed out after the agency's idle time")?;
    assert_eq!(live_sessions(&store, staff).await?, 0, "the session ended in the store too");
    app.finish().await
}
