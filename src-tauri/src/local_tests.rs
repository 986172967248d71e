//! This computer's store through the shell: every command asks the store whether its
//! session is still live, so an admin's reset or deactivation, a password change, or the
//! agency's idle time ends a session already open in the window (run inside
//! scripts/with-desktop-session.sh, for the keyring "Remember me" would use).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::state::AppState;
use plumbline_domain::api::{self, ChangePassword, ErrorCode, SessionStatus};
use plumbline_domain::{Actor, Role, UserId, commands};
use plumbline_service::Store;
use plumbline_service::accounts::{self, DEMO_PASSWORD, Lasting};
use plumbline_service::db::Sql;
use std::sync::Arc;

async fn open_demo() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().expect("data dir");
    let state = AppState::open(dir.path().to_owned(), true, Arc::new(|_: bool| {})).await.expect("opens");
    (dir, state)
}

async fn first(store: &Store, role: Role) -> (Actor, String) {
    let (id, email): (i64, String) = Sql::new("SELECT id, email FROM users WHERE role = ? ORDER BY id LIMIT 1")
        .bind(role.as_str())
        .fetch_one(store)
        .await
        .unwrap();
    (Actor { user_id: UserId(id), role }, email)
}

async fn sign_in(state: &AppState, email: &str) {
    let request = api::SignIn { email: email.to_owned(), password: DEMO_PASSWORD.to_owned(), remember: false };
    state.sign_in(request).await.expect("signs in");
    state.run(commands::StaffDashboard {}).await.expect("the desk opens");
}

async fn assert_ended(state: &AppState, why: &str) {
    let refused = state.run(commands::StaffDashboard {}).await.expect_err(why);
    assert_eq!(refused.code, ErrorCode::NotSignedIn, "{why}: {refused:?}");
    let status = state.session_status().await.expect("status");
    assert!(matches!(status, SessionStatus::SignedOut { .. }), "{why}: the sign-in screen, not {status:?}");
}

#[tokio::test]
async fn an_admins_reset_or_deactivation_ends_a_session_open_in_the_window() {
    let (_dir, state) = open_demo().await;
    let store = state.local().expect("this computer's store").store.clone();
    let (admin, _) = first(&store, Role::Admin).await;
    let (staff, email) = first(&store, Role::Staff).await;

    sign_in(&state, &email).await;
    accounts::set_user_active(&store, admin, AppState::now(), staff.user_id, false).await.unwrap();
    assert_ended(&state, "deactivated").await;

    accounts::set_user_active(&store, admin, AppState::now(), staff.user_id, true).await.unwrap();
    sign_in(&state, &email).await;
    accounts::reset_password(&store, admin, AppState::now(), staff.user_id).await.unwrap();
    assert_ended(&state, "password reset").await;
}

#[tokio::test]
async fn a_session_idle_longer_than_the_agency_allows_is_signed_out() {
    let (_dir, state) = open_demo().await;
    let store = state.local().expect("this computer's store").store.clone();
    let (_, email) = first(&store, Role::Staff).await;
    sign_in(&state, &email).await;
    Sql::new("UPDATE agency SET idle_sign_out_minutes = 5").execute(&store).await.unwrap();
    let six_minutes_ago = (AppState::now() - chrono::Duration::minutes(6)).timestamp();
    Sql::new("UPDATE sessions SET last_used_at = ?").bind(six_minutes_ago).execute(&store).await.unwrap();
    assert_ended(&state, "idle six minutes").await;
}

#[tokio::test]
async fn changing_ones_password_here_ends_the_sessions_elsewhere_and_keeps_this_one() {
    let (_dir, state) = open_demo().await;
    let store = state.local().expect("this computer's store").store.clone();
    let (staff, email) = first(&store, Role::Staff).await;
    sign_in(&state, &email).await;
    let elsewhere = accounts::open_session(&store, staff.user_id, AppState::now(), Lasting::Remembered).await.unwrap();

    let change = ChangePassword { current: DEMO_PASSWORD.into(), new: "a much better password".into() };
    state.change_password(change).await.expect("changed");
    state.run(commands::StaffDashboard {}).await.expect("this session goes on");
    let other = accounts::session_user(&store, AppState::now(), &elsewhere).await.unwrap();
    assert_eq!(other, None, "the session on another computer ended");
}
