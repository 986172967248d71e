//! The SMTP password from the real keyring (gnome-keyring's Secret Service on a private
//! session bus, `scripts/with-desktop-session.sh`) reaches the mail server: an aiosmtpd
//! that accepts mail only after AUTH with exactly that password receives the outbox's
//! message; without the password in the keyring it waits in the outbox, saying why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use plumbline_desktop::SmtpPasswordEntry;
use plumbline_domain::api::{MailSecurity, MailSettings};
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::Store;
use plumbline_service::db::Sql;
use plumbline_service::mail::{self, MailRun};
use plumbline_test_support::{MailServer, demo_store_at};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z").expect("valid").with_timezone(&Utc)
}

async fn user(store: &Store, role: &str) -> i64 {
    Sql::new("SELECT min(id) FROM users WHERE role = ?").bind(role).fetch_one::<(i64,)>(store).await.unwrap().0
}

#[tokio::test]
async fn the_smtp_password_is_read_from_the_keyring_and_signs_in_to_the_mail_server() {
    let test = demo_store_at(now()).await;
    let store = &test.store;
    let password = format!("keyring-only-{}", std::process::id());
    let server = MailServer::start_with_auth("mailer", &password);
    let admin = Actor { user_id: UserId(user(store, "admin").await), role: Role::Admin };
    let settings = MailSettings {
        host: "127.0.0.1".into(),
        port: server.port(),
        user: "mailer".into(),
        sender: "repairs@agency.example".into(),
        security: MailSecurity::None,
    };
    mail::update_settings(store, admin, now(), &settings).await.unwrap();
    let entry = SmtpPasswordEntry::for_store(&format!("{}#{}", store.name(), std::process::id()));
    entry.forget().await.unwrap();

    // No password kept yet: the test e-mail says so, by its field.
    let refused = mail::send_test(store, admin, now(), &entry).await.unwrap_err();
    assert!(refused.to_string().contains("no SMTP password"), "{refused}");

    entry.save(&password).await.expect("the Secret Service keeps the password");
    let reread = SmtpPasswordEntry::for_store(&format!("{}#{}", store.name(), std::process::id()));
    let sent = mail::send_test(store, admin, now(), &reread).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, [sent.to]);
    assert_eq!(received[0].login.as_deref(), Some("mailer"), "signed in with the keyring's password");

    // The outbox's sender signs in the same way.
    Sql::new(
        "INSERT INTO mail_outbox (recipient, subject, body, created_at, attempts, next_attempt_at)
         VALUES ('landlord@example.com', 'Approval needed', 'Please look', ?, 0, ?)",
    )
    .bind(now().timestamp())
    .bind(now().timestamp())
    .execute(store)
    .await
    .unwrap();
    assert_eq!(mail::send_due(store, now(), &reread).await.unwrap(), MailRun { sent: 1, failed: 0 });
    assert_eq!(server.received().len(), 2);
    assert_eq!(server.received()[1].subject, "Approval needed");

    // A wrong password in the keyring: the server refuses and the error says so.
    entry.save("not-the-password").await.unwrap();
    let wrong = mail::send_test(store, admin, now(), &reread).await.unwrap_err();
    assert!(wrong.to_string().contains("The test e-mail was not sent"), "{wrong}");
    entry.forget().await.unwrap();
}
