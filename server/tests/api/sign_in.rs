//! Signing in over the network: every role; the same answer for a wrong password and an
//! address without an account; limits per client and per address (429).

use plumbline_domain::Role;
use plumbline_server::{Limits, RateLimit, SessionGranted};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_test_support::TestServer;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn each_demo_role_signs_in_and_gets_a_token_and_the_signed_in_answer() {
    let server = TestServer::demo().await;
    for role in Role::ALL {
        let email = server.demo_email(role).await;
        let answer = server.try_sign_in(&email, DEMO_PASSWORD).await;
        assert_eq!(answer.status, 200, "{role:?}: {answer:?}");
        let granted: SessionGranted = serde_json::from_value(answer.body).expect("a session granted");
        assert_eq!((granted.signed_in.user.role, granted.signed_in.user.email), (role, email));
        assert!(!granted.signed_in.must_change_password);
        assert_eq!(granted.token.len(), 64);
    }
}

#[tokio::test]
async fn remember_me_makes_a_thirty_day_session() {
    let server = TestServer::demo().await;
    let email = server.demo_email(Role::Staff).await;
    let args = json!({ "request": { "email": email, "password": DEMO_PASSWORD, "remember": true } });
    let answer = server.call("sign_in", None, args).await;
    let granted: SessionGranted = serde_json::from_value(answer.body).expect("a session granted");
    let days = (granted.expires_at - plumbline_server::now()).num_hours() as f64 / 24.0;
    assert!((29.9..=30.0).contains(&days), "{days}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let server = TestServer::demo().await;
    let email = server.demo_email(Role::Landlord).await;
    let wrong_password = server.try_sign_in(&email, "not the password").await;
    let unknown_address = server.try_sign_in("nobody.at.all@example.com", "not the password").await;
    assert_eq!(wrong_password, unknown_address);
    assert_eq!((wrong_password.status, wrong_password.code()), (403, "not_allowed"), "{wrong_password:?}");
    assert_eq!(server.count("sessions").await, 0, "no session for either");
}

#[tokio::test]
async fn too_many_attempts_from_one_client_get_429_until_the_window_ends() {
    let limits =
        Limits { sign_ins_per_client: RateLimit { max: 3, per: Duration::from_secs(60) }, ..Limits::default() };
    let server = TestServer::demo_with(limits).await;
    for role in [Role::Staff, Role::Tenant, Role::Landlord] {
        assert_eq!(server.try_sign_in(&server.demo_email(role).await, DEMO_PASSWORD).await.status, 200);
    }
    let email = server.demo_email(Role::Contractor).await;
    let limited = server.try_sign_in(&email, DEMO_PASSWORD).await;
    assert_eq!((limited.status, limited.code()), (429, "not_allowed"), "{limited:?}");
    assert!(limited.message().starts_with("Too many sign-in attempts from this computer: try again in"), "{limited:?}");
    let response = server
        .client
        .post(format!("{}/api/v1/sign_in", server.base))
        .json(&json!({ "request": { "email": email, "password": DEMO_PASSWORD, "remember": false } }))
        .send()
        .await
        .expect("answers");
    let retry_after: u64 = response.headers()["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
}

#[tokio::test]
async fn too_many_attempts_at_one_address_get_429_whether_or_not_it_has_an_account() {
    let limits =
        Limits { sign_ins_per_address: RateLimit { max: 2, per: Duration::from_secs(900) }, ..Limits::default() };
    let server = TestServer::demo_with(limits).await;
    let known = server.demo_email(Role::Staff).await;
    let mut refusals = Vec::new();
    for email in [known.as_str(), "no.account.here@example.com"] {
        server.try_sign_in(email, "guess one").await;
        // The same address however it is written.
        server.try_sign_in(&format!("  {}  ", email.to_uppercase()), "guess two").await;
        let limited = server.try_sign_in(email, DEMO_PASSWORD).await;
        assert_eq!(limited.status, 429, "{email}: {limited:?}");
        refusals.push(limited.body);
    }
    assert_eq!(refusals[0], refusals[1], "the limit says nothing about who has an account");
    assert!(server.try_sign_in(&server.demo_email(Role::Tenant).await, DEMO_PASSWORD).await.status == 200);
}
