//! E-mail notifications against a real SMTP server process (aiosmtpd, started by the
//! test), on a fixed clock and both engines: an event's e-mails are written to the
//! outbox in its transaction for those who chose them, arrive with the right recipient,
//! subject and body, wait (error kept, retry scheduled) while the server is down and go
//! out once when it returns; two senders never send one twice; a server whose certificate
//! this computer does not trust is sent nothing.

use crate::fixtures::{cast, submit_routine};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::api::{EmailPreferences, Field, MailSecurity, MailSettings};
use plumbline_domain::{Actor, Role, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::mail::{self, MailRun, NoPassword};
use plumbline_service::{ServiceError, Store};
use plumbline_test_support::MailServer;

const SENDER: &str = "repairs@agency.example";

async fn admin(store: &Store) -> Actor {
    let (id,): (i64,) = Sql::new("SELECT min(id) FROM users WHERE role = 'admin'").fetch_one(store).await.unwrap();
    Actor { user_id: UserId(id), role: Role::Admin }
}

fn settings_for(server: &MailServer) -> MailSettings {
    MailSettings {
        host: "127.0.0.1".into(),
        port: server.port(),
        user: String::new(),
        sender: SENDER.into(),
        security: MailSecurity::None,
    }
}

async fn set_up(store: &Store, server: &MailServer) {
    mail::update_settings(store, admin(store).await, now(), &settings_for(server)).await.unwrap();
}

/// Each active agency user's address, by id: who hears of a new request.
async fn agency_addresses(store: &Store) -> Vec<(i64, String)> {
    Sql::new("SELECT id, email FROM users WHERE role IN ('staff', 'admin') AND deactivated_at IS NULL ORDER BY id")
        .fetch_all(store)
        .await
        .unwrap()
}

/// The outbox: (recipient, attempts, next attempt, last error, sent), oldest first.
async fn outbox(store: &Store) -> Vec<(String, i64, i64, Option<String>, Option<i64>)> {
    Sql::new("SELECT recipient, attempts, next_attempt_at, last_error, sent_at FROM mail_outbox ORDER BY id")
        .fetch_all(store)
        .await
        .unwrap()
}

/// The bell's title and body for `user` about `order`: what the e-mail carries.
async fn notification(store: &Store, user: i64, order: WorkOrderId) -> (String, String) {
    Sql::new("SELECT title, body FROM notifications WHERE user_id = ? AND work_order_id = ? ORDER BY id DESC LIMIT 1")
        .bind(user)
        .bind(order.0)
        .fetch_one(store)
        .await
        .unwrap()
}

async fn send(store: &Store, at: DateTime<Utc>) -> MailRun {
    mail::send_due(store, at, &NoPassword).await.unwrap()
}

#[tokio::test]
async fn a_new_request_is_emailed_to_the_staff_who_chose_it_with_its_subject_and_body() {
    let test = demo_store().await;
    let server = MailServer::start();
    set_up(&test.store, &server).await;
    let cast = cast(&test.store).await;
    let quiet = EmailPreferences { action_needed: false, ..EmailPreferences::DEFAULT };
    mail::set_preferences(&test.store, cast.staff, quiet).await.unwrap();
    let order = submit_routine(&test.store, &cast).await;

    let mut expected: Vec<(i64, String)> = agency_addresses(&test.store).await;
    expected.retain(|(id, _)| *id != cast.staff.user_id.0);
    assert!(!expected.is_empty());
    assert_eq!(outbox(&test.store).await.len(), expected.len(), "one message per staff member who chose it");
    assert_eq!(send(&test.store, now()).await, MailRun { sent: expected.len(), failed: 0 });
    assert_eq!(send(&test.store, now() + Duration::minutes(5)).await, MailRun::default(), "sent once");

    let received = server.received();
    assert_eq!(received.len(), expected.len());
    for (user, address) in expected {
        let mail = received.iter().find(|mail| mail.rcpt_tos == [address.clone()]).expect("a message to them");
        let (title, body) = notification(&test.store, user, order).await;
        assert!(title.starts_with("New request · PL-"), "{title}");
        assert_eq!(mail.subject, title);
        assert_eq!(mail.mail_from, SENDER);
        assert!(mail.body.starts_with(&format!("{body}\n")), "{:?} starts with {body:?}", mail.body);
        assert!(mail.body.contains("Choose which e-mails you get on your Account page"));
    }
}

#[tokio::test]
async fn nothing_is_queued_before_email_is_set_up_and_preferences_are_each_users_own() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    submit_routine(&test.store, &cast).await;
    assert!(outbox(&test.store).await.is_empty());
    assert_eq!(mail::preferences(&test.store, cast.tenant).await.unwrap(), EmailPreferences::DEFAULT);
    let all = EmailPreferences { action_needed: true, progress: true, payments: true };
    mail::set_preferences(&test.store, cast.tenant, all).await.unwrap();
    assert_eq!(mail::preferences(&test.store, cast.tenant).await.unwrap(), all);
    assert_eq!(mail::preferences(&test.store, cast.landlord).await.unwrap(), EmailPreferences::DEFAULT);
}

#[tokio::test]
async fn while_the_mail_server_is_down_mail_waits_and_goes_out_once_when_it_returns() {
    let test = demo_store().await;
    let mut server = MailServer::start();
    set_up(&test.store, &server).await;
    server.stop();
    let cast = cast(&test.store).await;
    submit_routine(&test.store, &cast).await;
    let waiting = outbox(&test.store).await.len();
    assert!(waiting > 0);

    assert_eq!(send(&test.store, now()).await, MailRun { sent: 0, failed: waiting });
    for (_, attempts, next, error, sent) in outbox(&test.store).await {
        assert_eq!((attempts, next, sent), (1, now().timestamp() + 60, None), "retried in a minute");
        assert!(error.is_some_and(|error| !error.is_empty()), "the error is kept");
    }
    assert_eq!(send(&test.store, now() + Duration::seconds(30)).await, MailRun::default(), "not due yet");
    assert_eq!(send(&test.store, now() + Duration::seconds(60)).await, MailRun { sent: 0, failed: waiting });
    let second = now() + Duration::seconds(60);
    assert!(outbox(&test.store).await.iter().all(|row| row.1 == 2 && row.2 == second.timestamp() + 120), "backs off");

    server.start_again();
    assert!(server.received().is_empty());
    let back = second + Duration::seconds(120);
    assert_eq!(send(&test.store, back).await, MailRun { sent: waiting, failed: 0 });
    assert_eq!(send(&test.store, back + Duration::hours(2)).await, MailRun::default());
    assert_eq!(server.received().len(), waiting, "each message once");
    for (_, _, _, error, sent) in outbox(&test.store).await {
        assert_eq!((error, sent), (None, Some(back.timestamp())));
    }
}

#[tokio::test]
async fn two_senders_at_once_never_send_one_message_twice() {
    let test = demo_store().await;
    let server = MailServer::start();
    set_up(&test.store, &server).await;
    let cast = cast(&test.store).await;
    submit_routine(&test.store, &cast).await;
    submit_routine(&test.store, &cast).await;
    let queued = outbox(&test.store).await.len();
    let (one, other) = tokio::join!(send(&test.store, now()), send(&test.store, now()));
    assert_eq!(one.sent + other.sent, queued);
    assert_eq!(one.failed + other.failed, 0);
    assert_eq!(server.received().len(), queued);
}

#[tokio::test]
async fn bad_settings_are_refused_by_field_and_change_nothing() {
    let test = demo_store().await;
    let server = MailServer::start();
    set_up(&test.store, &server).await;
    let admin = admin(&test.store).await;
    let good = settings_for(&server);
    let cases = [
        (MailSettings { host: "smtp example".into(), ..good.clone() }, Field::SmtpHost),
        (MailSettings { port: 0, ..good.clone() }, Field::SmtpPort),
        (MailSettings { sender: "repairs".into(), ..good.clone() }, Field::SmtpSender),
        (MailSettings { user: "u".repeat(300), ..good.clone() }, Field::SmtpUser),
    ];
    for (bad, field) in cases {
        match mail::update_settings(&test.store, admin, now(), &bad).await {
            Err(ServiceError::Validation { field: refused, message }) => {
                assert_eq!(refused, field, "{message}");
                assert!(!message.is_empty());
            }
            other => panic!("{field:?}: {other:?}"),
        }
    }
    let staff = cast(&test.store).await.staff;
    let refused = mail::update_settings(&test.store, staff, now(), &good).await;
    assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{refused:?}");
    assert_eq!(mail::settings(&test.store, admin).await.unwrap(), good);
    let tenant = cast(&test.store).await.tenant;
    assert!(matches!(mail::settings(&test.store, tenant).await, Err(ServiceError::NotAllowed(_))));
}

#[tokio::test]
async fn the_test_email_reaches_the_staff_member_at_once_or_says_why_not() {
    let test = demo_store().await;
    let mut server = MailServer::start();
    let cast = cast(&test.store).await;
    let not_set_up = mail::send_test(&test.store, cast.staff, now(), &NoPassword).await;
    assert!(matches!(not_set_up, Err(ServiceError::Validation { field: Field::SmtpHost, .. })), "{not_set_up:?}");

    set_up(&test.store, &server).await;
    let sent = mail::send_test(&test.store, cast.staff, now(), &NoPassword).await.unwrap();
    let (email,): (String,) = Sql::new("SELECT email FROM users WHERE id = ?")
        .bind(cast.staff.user_id.0)
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(sent.to, email);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, [email]);
    assert_eq!(received[0].subject, "Plumbline test e-mail");
    assert!(received[0].body.contains("This is a test message from Plumbline"));

    server.stop();
    match mail::send_test(&test.store, cast.staff, now(), &NoPassword).await {
        Err(ServiceError::Validation { field: Field::SmtpHost, message }) => {
            assert!(message.starts_with("The test e-mail was not sent: "), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let tenant = mail::send_test(&test.store, cast.tenant, now(), &NoPassword).await;
    assert!(matches!(tenant, Err(ServiceError::NotAllowed(_))));
    assert!(outbox(&test.store).await.is_empty(), "the test message does not go through the outbox");
}

#[tokio::test]
async fn a_mail_server_whose_certificate_this_computer_does_not_trust_is_sent_nothing() {
    let test = demo_store().await;
    let server = MailServer::start_with_untrusted_starttls();
    let cast = cast(&test.store).await;
    let settings = MailSettings { security: MailSecurity::StartTls, ..settings_for(&server) };
    mail::update_settings(&test.store, admin(&test.store).await, now(), &settings).await.unwrap();

    match mail::send_test(&test.store, cast.staff, now(), &NoPassword).await {
        Err(ServiceError::Validation { field: Field::SmtpHost, message }) => {
            assert!(message.starts_with("The test e-mail was not sent: "), "{message}");
            assert!(message.contains("certificate"), "says it is the certificate: {message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(server.received().is_empty(), "nothing reached it");
}
