//! The shell's backend switch against a real agency server started in this process
//! (plumbline-test-support's; PostgreSQL with PLUMBLINE_TEST_POSTGRES_URL), the token in
//! the real Secret Service (run inside scripts/with-desktop-session.sh).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::connection;
use crate::remote::Reachability;
use crate::state::AppState;
use plumbline_domain::api::{self, ErrorCode, SessionStatus};
use plumbline_domain::{Role, commands, wire};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::store::DATABASE_FILE;
use plumbline_test_support::TestServer;
use serde_json::json;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The reachability the window would have been told of, in order.
fn recorder() -> (Reachability, Arc<Mutex<Vec<bool>>>) {
    let told = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&told);
    (Arc::new(move |reachable| sink.lock().expect("lock").push(reachable)), told)
}

fn sign_in(email: &str, remember: bool) -> api::SignIn {
    api::SignIn { email: email.to_owned(), password: DEMO_PASSWORD.to_owned(), remember }
}

/// What the data directory holds besides `connection.json`: no database, no files.
fn agency_data(dir: &Path) -> Vec<String> {
    let entries = std::fs::read_dir(dir).map(|entries| entries.flatten().collect::<Vec<_>>()).unwrap_or_default();
    let names = entries.into_iter().map(|entry| entry.file_name().to_string_lossy().into_owned());
    names.filter(|name| name != "connection.json").collect()
}

#[tokio::test]
async fn on_a_server_every_command_goes_there_and_nothing_of_the_agency_is_kept() {
    let server = TestServer::demo().await;
    let dir = tempfile::tempdir().expect("data dir");
    let (told, _) = recorder();
    let state = AppState::open(dir.path().to_owned(), false, told).await.expect("opens");
    assert_eq!(state.session_status().await.expect("status"), SessionStatus::SetupNeeded, "a new computer");
    assert!(!dir.path().join(DATABASE_FILE).exists(), "asking made no store");

    let shown = plumbline_client::first_contact(&server.base).await.expect("first contact");
    let status = state.use_server(&server.base, &shown).await.expect("connects");
    assert!(matches!(status, SessionStatus::SignedOut { .. }), "{status:?}");
    let email = server.demo_email(Role::Tenant).await;
    state.sign_in(sign_in(&email, false)).await.expect("signs in");
    state.run(commands::TenantDashboard {}).await.expect("the tenant's dashboard, from the server");
    let refused = state.run(commands::StaffDashboard {}).await.expect_err("not a tenant's");
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(matches!(state.connection(), api::Connection::Server { .. }));
    assert!(state.local().is_none());
    assert_eq!(agency_data(dir.path()), Vec::<String>::new(), "no database and no files on this computer");
    let kept = connection::load(dir.path()).expect("read").expect("kept");
    assert_eq!(kept.fingerprint, server.server().identity().fingerprint);
    assert_eq!(kept.remembered, None, "without Remember me, no token is kept anywhere");
}

#[tokio::test]
async fn a_fingerprint_that_is_not_the_servers_changes_nothing() {
    let server = TestServer::demo().await;
    let dir = tempfile::tempdir().expect("data dir");
    let (told, _) = recorder();
    let state = AppState::open(dir.path().to_owned(), false, told).await.expect("opens");
    let wrong = plumbline_client::fingerprint(b"not the server's certificate");
    let refused = state.use_server(&server.base, &wrong).await.expect_err("refused");
    assert!(refused.message.contains("different certificate"), "{}", refused.message);
    assert_eq!(connection::load(dir.path()).expect("read"), None, "nothing pinned");
    assert_eq!(state.connection(), api::Connection::ThisComputer);
}

#[tokio::test]
async fn a_remembered_token_survives_a_restart_and_a_server_that_goes_down_is_said_so() {
    let mut server = TestServer::demo().await;
    let dir = tempfile::tempdir().expect("data dir");
    let (told, _) = recorder();
    let state = AppState::open(dir.path().to_owned(), false, told).await.expect("opens");
    state.use_server(&server.base, &server.server().identity().fingerprint).await.expect("connects");
    let email = server.demo_email(Role::Landlord).await;
    state.sign_in(sign_in(&email, true)).await.expect("signs in");
    drop(state);

    let (told, heard) = recorder();
    let restarted = AppState::open(dir.path().to_owned(), false, told).await.expect("opens again");
    let status = restarted.session_status().await.expect("status");
    assert!(matches!(&status, SessionStatus::SignedIn(signed_in) if signed_in.user.email == email), "{status:?}");

    server.shutdown().await;
    let before = plumbline_desktop::RememberedSession::for_server(&server.base, &email).load().await;
    let down = restarted.run(commands::ReadAllNotifications {}).await.expect_err("no server");
    assert!(down.message.contains("agency server"), "{}", down.message);
    assert_eq!(*heard.lock().expect("lock"), vec![false], "the window was told");
    assert_eq!(plumbline_desktop::RememberedSession::for_server(&server.base, &email).load().await, before);

    restarted.sign_out().await.expect("signed out here even without the server");
    let entry = plumbline_desktop::RememberedSession::for_server(&server.base, &email);
    assert_eq!(entry.load().await, Ok(None), "the token is forgotten");
}

#[tokio::test]
async fn back_to_this_computer_opens_its_store_and_forgets_the_server() {
    let server = TestServer::demo().await;
    let dir = tempfile::tempdir().expect("data dir");
    let (told, _) = recorder();
    let state = AppState::open(dir.path().to_owned(), false, told).await.expect("opens");
    state.use_server(&server.base, &server.server().identity().fingerprint).await.expect("connects");
    let status = state.use_this_computer().await.expect("this computer");
    assert_eq!(status, SessionStatus::SetupNeeded, "a new store");
    assert!(dir.path().join(DATABASE_FILE).exists());
    assert_eq!(connection::load(dir.path()).expect("read"), None);
    assert_eq!(state.connection(), api::Connection::ThisComputer);
}

#[tokio::test]
async fn on_a_server_backups_are_refused_as_the_servers_own() {
    let server = TestServer::demo().await;
    let dir = tempfile::tempdir().expect("data dir");
    let (told, _) = recorder();
    let state = AppState::open(dir.path().to_owned(), false, told).await.expect("opens");
    let shown = plumbline_client::first_contact(&server.base).await.expect("first contact");
    state.use_server(&server.base, &shown).await.expect("connects");
    state.sign_in(sign_in(&server.demo_email(Role::Admin).await, false)).await.expect("signs in");

    let refused = crate::backups::status(&state).await.expect_err("not this computer's to back up");

    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(refused.message.contains("taken on the server"), "{}", refused.message);
    assert_eq!(agency_data(dir.path()), Vec::<String>::new(), "nothing written on this computer");
}

/// What the page sends, as it sends it (each command's name and its JSON arguments), and
/// what it reads, as it reads it (the answer's bytes, `plumbline_domain::wire`).
async fn page_commands_answer_as_declared(state: &AppState, mode: &str) {
    let answer = state.run_for_page("list_categories", json!({})).await.expect("answered");
    let read: Vec<api::CategoryRecord> = wire::decode(&answer).expect("the declared answer");
    assert!(!read.is_empty(), "{mode}: the demo agency's categories");
    assert_eq!(read, state.run(commands::ListCategories {}).await.expect("typed"), "{mode}");

    let unread = state.run_for_page("read_all_notifications", json!({})).await.expect("answered");
    assert_eq!(unread, Vec::<u8>::new(), "{mode}: no answer is no bytes, as the page reads ()");

    for (name, args) in [("read_notification", json!({ "id": "seven" })), ("list_categories", json!({ "x": 1 }))] {
        let refused = state.run_for_page(name, args).await.expect_err("not its arguments");
        assert_eq!(refused.code, ErrorCode::Validation, "{mode} {name}: {refused:?}");
        assert!(refused.message.starts_with("The request's arguments are not right:"), "{mode}: {}", refused.message);
    }
}

#[tokio::test]
async fn the_pages_json_is_answered_alike_on_this_computer_and_on_a_server() {
    let dir = tempfile::tempdir().expect("data dir");
    let (told, _) = recorder();
    let here = AppState::open(dir.path().to_owned(), true, told).await.expect("opens");
    let SessionStatus::SignedOut { demo_accounts } = here.session_status().await.expect("status") else {
        panic!("the demo's sign-in screen");
    };
    let admin = demo_accounts.into_iter().find(|account| account.role == Role::Admin).expect("an admin account");
    here.sign_in(sign_in(&admin.email, false)).await.expect("signs in");
    page_commands_answer_as_declared(&here, "this computer").await;

    let server = TestServer::demo().await;
    let dir = tempfile::tempdir().expect("data dir");
    let (told, _) = recorder();
    let connected = AppState::open(dir.path().to_owned(), false, told).await.expect("opens");
    connected.use_server(&server.base, &server.server().identity().fingerprint).await.expect("connects");
    connected.sign_in(sign_in(&server.demo_email(Role::Admin).await, false)).await.expect("signs in");
    page_commands_answer_as_declared(&connected, "an agency server").await;
}
