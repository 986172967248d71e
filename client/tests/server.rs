//! The client against a real agency server started in this process (on SQLite, or on
//! PostgreSQL when PLUMBLINE_TEST_POSTGRES_URL is set: scripts/with-postgres.sh), over
//! real HTTPS; the token in the real Secret Service (run inside
//! scripts/with-desktop-session.sh).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use plumbline_client::{Client, Granted, first_contact};
use plumbline_desktop::RememberedSession;
use plumbline_domain::Role;
use plumbline_domain::api::{self, CommandError, ErrorCode, SessionStatus};
use plumbline_domain::commands;
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_test_support::TestServer;

fn sign_in_command(email: &str, password: &str) -> commands::SignIn {
    commands::SignIn { request: api::SignIn { email: email.to_owned(), password: password.to_owned(), remember: true } }
}

/// A client pinned to `server`'s certificate, signed in as its first account of `role`.
async fn signed_in(server: &TestServer, role: Role) -> Client {
    let client = Client::new(&server.base, &server.server().identity().fingerprint).expect("client");
    let granted: Granted =
        client.call_for(&sign_in_command(&server.demo_email(role).await, DEMO_PASSWORD)).await.expect("signs in");
    client.set_token(Some(granted.token));
    client
}

#[tokio::test]
async fn first_contact_shows_the_servers_fingerprint_and_the_pinned_client_signs_in() {
    let server = TestServer::demo().await;
    let shown = first_contact(&server.base).await.expect("the server answers");
    assert_eq!(shown, server.server().identity().fingerprint);

    let client = Client::new(&server.base, &shown.to_lowercase()).expect("client");
    let status = client.call(&commands::Session {}).await.expect("session");
    assert!(matches!(status, SessionStatus::SignedOut { .. }), "{status:?}");
    let email = server.demo_email(Role::Staff).await;
    let granted: Granted = client.call_for(&sign_in_command(&email, DEMO_PASSWORD)).await.expect("signs in");
    assert_eq!(granted.signed_in.user.email, email);
    client.set_token(Some(granted.token));
    let status = client.call(&commands::Session {}).await.expect("session");
    assert!(matches!(status, SessionStatus::SignedIn(_)), "{status:?}");

    client.call(&commands::SignOut {}).await.expect("signs out");
    let ended = client.call(&commands::Notifications {}).await.expect_err("the token has ended");
    assert_eq!(ended.code, ErrorCode::NotSignedIn);
}

#[tokio::test]
async fn a_wrong_password_is_the_servers_refusal() {
    let server = TestServer::demo().await;
    let client = Client::new(&server.base, &server.server().identity().fingerprint).expect("client");
    let email = server.demo_email(Role::Tenant).await;
    let refused = client.call(&sign_in_command(&email, "not the password")).await.expect_err("refused");
    assert_eq!(refused.code, ErrorCode::NotAllowed, "{refused:?}");
    assert!(refused.message.contains("do not match an account"), "the server's own words: {refused:?}");
}

#[tokio::test]
async fn each_role_runs_its_own_commands_and_is_refused_others() {
    let server = TestServer::demo().await;
    let staff = signed_in(&server, Role::Staff).await;
    staff.call(&commands::StaffDashboard {}).await.expect("staff's dashboard");
    let admin = signed_in(&server, Role::Admin).await;
    let users =
        admin.call(&commands::ListUsers { request: api::ListUsers { search: String::new() } }).await.expect("users");
    assert!(!users.users.is_empty());
    let landlord = signed_in(&server, Role::Landlord).await;
    landlord.call(&commands::LandlordDashboard {}).await.expect("landlord's dashboard");
    let contractor = signed_in(&server, Role::Contractor).await;
    contractor.call(&commands::ContractorDashboard {}).await.expect("contractor's dashboard");
    let tenant = signed_in(&server, Role::Tenant).await;
    tenant.call(&commands::TenantDashboard {}).await.expect("tenant's dashboard");

    let refused: CommandError = tenant.call(&commands::StaffDashboard {}).await.expect_err("not a tenant's");
    assert_eq!(refused.code, ErrorCode::NotAllowed, "{refused:?}");
    let missing = staff.call(&commands::GetWorkOrder { id: plumbline_domain::WorkOrderId(i64::MAX) }).await;
    assert_eq!(missing.expect_err("no such order").code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_changed_certificate_is_refused_with_a_clear_message_and_nothing_is_sent() {
    let server = TestServer::demo().await;
    let sessions = server.count("sessions").await;
    let other = plumbline_client::fingerprint(b"the certificate the user accepted last week");
    let client = Client::new(&server.base, &other).expect("client");
    let email = server.demo_email(Role::Staff).await;
    let refused = client.call(&sign_in_command(&email, DEMO_PASSWORD)).await.expect_err("refused");
    assert_eq!(refused.code, ErrorCode::Ipc);
    assert!(refused.message.contains("different certificate"), "{}", refused.message);
    assert!(refused.message.contains(&other), "names the accepted fingerprint: {}", refused.message);
    assert!(refused.message.contains(&server.server().identity().fingerprint), "{}", refused.message);
    assert_eq!(server.count("sessions").await, sessions, "no session was opened");
}

#[tokio::test]
async fn a_server_that_is_down_cannot_be_reached_and_nothing_is_kept() {
    let mut server = TestServer::demo().await;
    let client = signed_in(&server, Role::Staff).await;
    let fingerprint = server.server().identity().fingerprint.clone();
    server.shutdown().await;

    let down = client.call(&commands::ReadAllNotifications {}).await.expect_err("no server");
    assert_eq!(down.code, ErrorCode::Ipc);
    assert!(down.message.starts_with("Cannot reach the agency server at https://127.0.0.1:"), "{}", down.message);
    assert!(down.message.contains("Nothing was saved"), "{}", down.message);

    let fresh = Client::new(&server.base, &fingerprint).expect("client");
    let email = server.demo_email(Role::Staff).await;
    let refused = fresh.call(&sign_in_command(&email, DEMO_PASSWORD)).await.expect_err("no server");
    assert!(refused.message.starts_with("Cannot reach"), "{}", refused.message);
    assert!(first_contact(&server.base).await.expect_err("no server").message.starts_with("Cannot reach"));
    let entry = RememberedSession::for_server(fresh.address(), &email);
    assert_eq!(entry.load().await, Ok(None), "no token was kept");
}

#[tokio::test]
async fn the_token_kept_in_the_keyring_signs_a_new_client_in() {
    let server = TestServer::demo().await;
    let first = signed_in(&server, Role::Landlord).await;
    let email = server.demo_email(Role::Landlord).await;
    let entry = RememberedSession::for_server(first.address(), &email);
    entry.save(&first.token().expect("a token")).await.expect("the Secret Service keeps it");

    // As after a restart: a new client, the token read back from the keyring.
    let restarted = Client::new(&server.base, &server.server().identity().fingerprint).expect("client");
    let token = RememberedSession::for_server(restarted.address(), &email).load().await.expect("read");
    restarted.set_token(token);
    restarted.call(&commands::LandlordDashboard {}).await.expect("still signed in");

    restarted.call(&commands::SignOut {}).await.expect("signs out");
    entry.forget().await.expect("forgotten");
    assert_eq!(entry.load().await, Ok(None));
}

#[tokio::test]
async fn chosen_files_stream_up_and_an_attachment_comes_back_down_under_its_name() {
    let server = TestServer::demo().await;
    let staff = signed_in(&server, Role::Staff).await;
    let (order,): (i64,) = plumbline_service::db::Sql::new("SELECT min(id) FROM work_orders")
        .fetch_one(server.store())
        .await
        .expect("an order");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../service/tests/fixtures");
    let order = plumbline_domain::WorkOrderId(order);
    let kind = plumbline_domain::AttachmentKind::Before;

    let missing = staff.upload(order, kind, &[fixtures.join("leak.jpg"), fixtures.join("gone.jpg")]).await;
    let refused = missing.expect_err("a file that is not there");
    assert_eq!((refused.code, refused.field), (ErrorCode::Validation, Some(api::Field::Files)));
    assert!(refused.message.starts_with("gone.jpg could not be read"), "{}", refused.message);
    assert_eq!(server.count("attachments").await, 0, "nothing was sent, so nothing attached");

    let added = staff.upload(order, kind, &[fixtures.join("leak.jpg")]).await.expect("attached");
    assert_eq!(added.len(), 1);
    let into = tempfile::tempdir().expect("a folder");
    let path = staff.download(added[0].id, into.path()).await.expect("downloaded");
    assert_eq!(path.file_name().and_then(|name| name.to_str()), Some("leak.jpg"));
    assert_eq!(std::fs::read(&path).expect("saved"), std::fs::read(fixtures.join("leak.jpg")).expect("fixture"));
}

/// The first demo landlord's oldest order.
async fn landlords_order(server: &TestServer) -> plumbline_domain::WorkOrderId {
    let (order,): (i64,) = plumbline_service::db::Sql::new(
        "SELECT min(w.id) FROM work_orders w JOIN properties p ON p.id = w.property_id
         JOIN users u ON u.id = p.landlord_id WHERE u.email = ?",
    )
    .bind(server.demo_email(Role::Landlord).await)
    .fetch_one(server.store())
    .await
    .expect("an order");
    plumbline_domain::WorkOrderId(order)
}

async fn post(client: &Client, order: plumbline_domain::WorkOrderId, internal: bool) {
    let request = api::PostMessage { id: order, body: "On my way".into(), internal };
    client.call(&commands::PostMessage { request }).await.expect("posted");
}

/// The next change, within a second.
async fn next_change(stream: &mut plumbline_client::ChangeStream) -> Option<api::Change> {
    let next = tokio::time::timeout(std::time::Duration::from_secs(1), stream.next()).await.expect("in time");
    next.map(|change| change.expect("a change"))
}

#[tokio::test]
async fn another_clients_change_streams_in_and_a_reconnect_resumes_exactly_where_it_stopped() {
    let server = TestServer::demo().await;
    let staff = signed_in(&server, Role::Staff).await;
    let landlord = signed_in(&server, Role::Landlord).await;
    let order = landlords_order(&server).await;
    let mut stream = landlord.changes(None).await.expect("the stream opens");

    post(&staff, order, false).await;
    let first = next_change(&mut stream).await.expect("the change arrives");
    assert_eq!((first.subject, first.kind), (api::ChangeSubject::Order { id: order }, api::ChangeKind::Message));
    drop(stream);

    post(&staff, order, false).await;
    post(&staff, order, true).await;
    post(&staff, order, false).await;
    let mut resumed = landlord.changes(Some(first.id)).await.expect("the stream opens again");

    let missed = [next_change(&mut resumed).await.unwrap(), next_change(&mut resumed).await.unwrap()];
    assert!(first.id < missed[0].id && missed[0].id < missed[1].id, "{missed:?}");
    assert!(missed.iter().all(|change| change.kind == api::ChangeKind::Message), "no internal note: {missed:?}");
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(300), resumed.next()).await;
    assert!(quiet.is_err(), "nothing else, nothing twice: {quiet:?}");
    post(&staff, order, false).await;
    assert!(next_change(&mut resumed).await.unwrap().id > missed[1].id, "then live again");
}

#[tokio::test]
async fn the_stream_ends_when_the_session_does_and_needs_one_to_open() {
    let server = TestServer::demo().await;
    let landlord = signed_in(&server, Role::Landlord).await;
    let mut stream = landlord.changes(None).await.expect("the stream opens");

    landlord.call(&commands::SignOut {}).await.expect("signs out");

    assert!(next_change(&mut stream).await.is_none(), "ended: the caller would reconnect");
    let refused = landlord.changes(None).await.expect_err("no session");
    assert_eq!(refused.code, ErrorCode::NotSignedIn, "{refused:?}");
}
