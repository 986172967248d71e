//! E-mail from its screens, against a real SMTP server (aiosmtpd requiring AUTH): an
//! admin's bad settings are named beside their fields and change nothing; saved ones
//! reach the store and the password only the keyring; "Send test e-mail" arrives, signed
//! in with that password, and when the mail server is down the page shows its error.
//! Each user ticks what reaches them by e-mail on their Account page.

use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use plumbline_desktop::SmtpPasswordEntry;
use plumbline_domain::UserId;
use plumbline_service::db::Sql;
use plumbline_test_support::MailServer;

#[tokio::test]
async fn an_admin_sets_up_email_and_the_test_message_arrives_or_says_why_not() -> Result<()> {
    let mut mail = MailServer::start_with_auth("mailer", "smtp secret 42");
    let app = App::start("mail", Launch::default()).await?;
    let store = app.store().await?;
    let (admin, address): (i64, String) =
        Sql::new("SELECT id, email FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(&store).await?;
    app.sign_in_as(UserId(admin)).await?;
    app.wait_for("[data-testid=workload]").await?;
    app.go_to("Settings").await?;

    // Bad input: each problem beside its field, nothing stored.
    app.set_value("#smtp-host", "127.0.0.1").await?;
    app.set_value("#smtp-port", "0").await?;
    app.set_value("#smtp-sender", "repairs").await?;
    app.wait_for("#save-mail-settings").await?.click().await?;
    app.wait_for_text("#smtp-port-error", |t| t.contains("1 to 65535")).await?;
    app.wait_for_text("#smtp-sender-error", |t| t.contains("address mail is sent from")).await?;
    let (host,): (String,) = Sql::new("SELECT host FROM mail_settings").fetch_one(&store).await?;
    assert_eq!(host, "", "nothing saved");

    app.set_value("#smtp-port", &mail.port().to_string()).await?;
    app.set_value("#smtp-sender", "repairs@agency.example").await?;
    app.set_value("#smtp-security", "None").await?;
    app.set_value("#smtp-user", "mailer").await?;
    app.set_value("#smtp-password", "smtp secret 42").await?;
    app.wait_for("#save-mail-settings").await?.click().await?;
    app.wait_for_text("[data-testid=mail-outcome]", |t| t == "E-mail settings saved.").await?;
    let saved: (String, i64, String, String, String) =
        Sql::new("SELECT host, port, username, sender, security FROM mail_settings").fetch_one(&store).await?;
    assert_eq!(
        saved,
        ("127.0.0.1".into(), i64::from(mail.port()), "mailer".into(), "repairs@agency.example".into(), "None".into())
    );
    let kept = SmtpPasswordEntry::for_store(store.name()).load().await?;
    assert_eq!(kept.as_deref(), Some("smtp secret 42"), "the password is in the keyring");
    let (in_database,): (i64,) = Sql::new(
        "SELECT count(*) FROM settings_changes WHERE before LIKE '%smtp secret%' OR after LIKE '%smtp secret%'",
    )
    .fetch_one(&store)
    .await?;
    assert_eq!(in_database, 0, "and never in the database");

    app.wait_for("#send-test-email").await?.click().await?;
    app.wait_for_text("[data-testid=mail-outcome]", |t| t == format!("Test e-mail sent to {address}.")).await?;
    let received = mail.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, std::slice::from_ref(&address));
    assert_eq!(received[0].login.as_deref(), Some("mailer"));
    app.save_screen("mail-settings").await?;

    mail.stop();
    app.wait_for("#send-test-email").await?.click().await?;
    let error =
        app.wait_for_text("[data-testid=mail-outcome]", |t| t.starts_with("The test e-mail was not sent")).await?;
    assert!(error.to_lowercase().contains("connect"), "the mail server's own error: {error}");
    app.save_screen("mail-settings-error").await?;

    // What reaches this admin by e-mail: saved as it is ticked.
    app.wait_for("[data-nav='Change password']").await?.click().await?;
    app.wait_for("#email-progress").await?.click().await?;
    let mut waited = 0;
    loop {
        let (progress,): (bool,) =
            Sql::new("SELECT email_progress FROM users WHERE id = ?").bind(admin).fetch_one(&store).await?;
        if progress {
            break;
        }
        waited += 1;
        anyhow::ensure!(waited < 100, "the choice was never saved");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let action_needed = app.wait_for("#email-action-needed").await?.prop("checked").await?;
    assert_eq!(action_needed.as_deref(), Some("true"), "on by default");
    app.save_screen("email-choices").await.context("screen")?;
    app.finish().await
}
