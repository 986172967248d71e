//! E-mail on the agency server, against a real SMTP server (aiosmtpd): an admin sets the
//! mail server over HTTPS, staff send themselves a test message from the server, a new
//! request's e-mails go out from the server's own background engine, and the SMTP
//! password is an admin's to set.

use plumbline_domain::Role;
use plumbline_server::Limits;
use plumbline_service::db::Sql;
use plumbline_test_support::{MailServer, TestServer, demo_store};
use serde_json::json;
use std::time::Duration;

fn settings(mail: &MailServer) -> serde_json::Value {
    json!({ "settings": { "host": "127.0.0.1", "port": mail.port(), "user": "", "sender": "repairs@agency.example",
        "security": "None" } })
}

#[tokio::test]
async fn staff_send_a_test_email_from_the_server_and_see_its_error_when_it_fails() {
    let server = TestServer::demo().await;
    let mut mail = MailServer::start();
    let admin = server.sign_in_as(Role::Admin).await;
    let saved = server.call("update_mail_settings", Some(&admin), settings(&mail)).await;
    assert_eq!(saved.status, 200, "{saved:?}");

    let staff = server.sign_in_as(Role::Staff).await;
    let sent = server.call("send_test_email", Some(&staff), json!({})).await;
    assert_eq!(sent.status, 200, "{sent:?}");
    let address = server.demo_email(Role::Staff).await;
    assert_eq!(sent.body["to"], json!(address));
    let received = mail.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, [address]);
    assert_eq!(received[0].subject, "Plumbline test e-mail");

    mail.stop();
    let failed = server.call("send_test_email", Some(&staff), json!({})).await;
    assert_eq!((failed.status, failed.code()), (400, "validation"), "{failed:?}");
    assert!(failed.message().starts_with("The test e-mail was not sent: "), "{failed:?}");
    assert_eq!(failed.body["field"], json!("smtp_host"));

    let tenant = server.sign_in_as(Role::Tenant).await;
    let refused = server.call("send_test_email", Some(&tenant), json!({})).await;
    assert_eq!(refused.code(), "not_allowed", "{refused:?}");
}

#[tokio::test]
async fn only_an_admin_sets_the_smtp_password_and_a_bad_one_is_refused_by_its_field() {
    let server = TestServer::demo().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let refused = server.call("set_smtp_password", Some(&staff), json!({ "password": "secret" })).await;
    assert_eq!(refused.code(), "not_allowed", "{refused:?}");
    let admin = server.sign_in_as(Role::Admin).await;
    let too_long = server.call("set_smtp_password", Some(&admin), json!({ "password": "x".repeat(1001) })).await;
    assert_eq!(too_long.body["field"], json!("smtp_password"), "{too_long:?}");
    let signed_out = server.call("set_smtp_password", None, json!({ "password": "secret" })).await;
    assert_eq!(signed_out.code(), "not_signed_in", "{signed_out:?}");
}

#[tokio::test]
async fn the_servers_engine_sends_a_new_requests_emails() {
    let mut server =
        TestServer::start_with_engine(demo_store().await, Limits::default(), Duration::from_millis(200)).await;
    let mail = MailServer::start();
    let admin = server.sign_in_as(Role::Admin).await;
    assert_eq!(server.call("update_mail_settings", Some(&admin), settings(&mail)).await.status, 200);
    let tenant = server.sign_in_as(Role::Tenant).await;
    let options = server.call("intake_options", Some(&tenant), json!({})).await;
    assert_eq!(options.status, 200, "{options:?}");
    let subcategory = options.body[0]["subcategories"][0]["id"].clone();
    let email = server.demo_email(Role::Tenant).await;
    let (tenancy,): (i64,) = Sql::new(
        "SELECT min(t.id) FROM tenancies t JOIN users u ON u.id = t.tenant_id WHERE u.email = ? AND t.ended_on IS NULL",
    )
    .bind(email)
    .fetch_one(server.store())
    .await
    .expect("the tenant's tenancy");
    let request = json!({ "request": { "tenancy": tenancy, "subcategory": subcategory, "severity": "Routine",
        "description": "The hall light flickers" } });
    let submitted = server.call("submit_request", Some(&tenant), request).await;
    assert_eq!(submitted.status, 200, "{submitted:?}");
    let reference = submitted.body["reference"].as_str().unwrap_or_default().to_owned();
    let mut waited = Duration::ZERO;
    while !mail.received().iter().any(|m| m.subject.contains(&reference) && !reference.is_empty()) {
        assert!(waited < Duration::from_secs(20), "no e-mail about {reference}: {:?}", mail.received());
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += Duration::from_millis(100);
    }
    server.shutdown().await;
}
