//! Bearer tokens: every request but sign-in needs a live one; a missing, wrong, expired
//! or ended one gets 401 and changes nothing, ended meaning signed out, or the password
//! reset by an admin or changed on another session — refused on the very next request.

use plumbline_domain::{Role, UserId};
use plumbline_service::accounts::{self, DEMO_PASSWORD};
use plumbline_test_support::{Answer, TestServer};
use serde_json::{Value, json};

async fn some_order(server: &TestServer) -> i64 {
    let (id,): (i64,) = plumbline_service::db::Sql::new("SELECT min(id) FROM work_orders")
        .fetch_one(server.store())
        .await
        .expect("an order");
    id
}

/// A staff message on an order: a write, so a refusal can be seen to store nothing.
async fn post_message(server: &TestServer, token: Option<&str>) -> Answer {
    let order = some_order(server).await;
    let args = json!({ "request": { "id": order, "body": "Checking in", "internal": false } });
    server.call("post_message", token, args).await
}

fn assert_refused(answer: &Answer, what: &str) {
    assert_eq!((answer.status, answer.code()), (401, "not_signed_in"), "{what}: {answer:?}");
}

async fn user_id(server: &TestServer, token: &str) -> i64 {
    let session = server.call("session", Some(token), json!({})).await;
    session.body["SignedIn"]["user"]["id"].as_i64().expect("a signed-in user")
}

#[tokio::test]
async fn a_missing_wrong_or_expired_token_is_refused_and_stores_nothing() {
    let server = TestServer::demo().await;
    let before = server.count("messages").await;
    assert_refused(&post_message(&server, None).await, "no token");
    assert_refused(&post_message(&server, Some(&"0".repeat(64))).await, "a token no one was given");
    assert_refused(&post_message(&server, Some("not-a-token")).await, "not a token at all");
    // A session that ran out an hour ago.
    let staff = server.sign_in_as(Role::Staff).await;
    let user = UserId(user_id(&server, &staff).await);
    let long_ago = plumbline_server::now() - chrono::Duration::hours(13);
    let expired =
        accounts::open_session(server.store(), user, long_ago, accounts::Lasting::Visit(chrono::Duration::hours(12)))
            .await
            .expect("session");
    assert_refused(&post_message(&server, Some(expired.secret())).await, "an expired token");
    assert_refused(&server.call("session", Some(expired.secret()), json!({})).await, "the session of an expired token");
    assert_eq!(server.count("messages").await, before);
    assert_eq!(post_message(&server, Some(&staff)).await.status, 200, "a live token works");
}

#[tokio::test]
async fn without_a_token_the_session_is_the_sign_in_screen_with_the_demo_accounts() {
    let server = TestServer::demo().await;
    let signed_out = server.call("session", None, json!({})).await;
    assert_eq!(signed_out.status, 200);
    let accounts = signed_out.body["SignedOut"]["demo_accounts"].as_array().expect("demo accounts");
    assert_eq!(accounts.len(), Role::ALL.len(), "{signed_out:?}");
    let token = server.sign_in_as(Role::Landlord).await;
    let signed_in = server.call("session", Some(&token), json!({})).await;
    assert_eq!(signed_in.body["SignedIn"]["user"]["role"], json!("Landlord"), "{signed_in:?}");
}

#[tokio::test]
async fn signing_out_ends_the_token_at_once() {
    let server = TestServer::demo().await;
    let token = server.sign_in_as(Role::Staff).await;
    let other = server.sign_in_as(Role::Staff).await;
    assert_eq!(server.call("sign_out", Some(&token), json!({})).await, Answer { status: 200, body: Value::Null });
    let before = server.count("messages").await;
    assert_refused(&post_message(&server, Some(&token)).await, "after signing out");
    assert_refused(&server.call("sign_out", Some(&token), json!({})).await, "signing out twice");
    assert_eq!(server.count("messages").await, before);
    assert_eq!(post_message(&server, Some(&other)).await.status, 200, "the user's other session goes on");
}

#[tokio::test]
async fn an_admins_reset_ends_the_users_sessions_and_the_temporary_password_must_be_replaced() {
    let server = TestServer::demo().await;
    let email = server.demo_email(Role::Landlord).await;
    let landlord = server.sign_in(&email, DEMO_PASSWORD).await;
    let landlord_id = user_id(&server, &landlord).await;
    let admin = server.sign_in_as(Role::Admin).await;
    let reset = server.call("reset_password", Some(&admin), json!({ "user": landlord_id })).await;
    assert_eq!(reset.status, 200, "{reset:?}");
    let temporary = reset.body["password"].as_str().expect("a temporary password").to_owned();
    let list = json!({ "request": { "limit": 5 } });
    assert_refused(&server.call("list_work_orders", Some(&landlord), list.clone()).await, "after the reset");

    let fresh = server.sign_in(&email, &temporary).await;
    let before_change = server.call("list_work_orders", Some(&fresh), list.clone()).await;
    assert_eq!((before_change.status, before_change.code()), (403, "not_signed_in"), "{before_change:?}");
    let change = json!({ "request": { "current": temporary, "new": "a brand new passphrase" } });
    let changed = server.call("change_password", Some(&fresh), change).await;
    assert_eq!((changed.status, &changed.body["must_change_password"]), (200, &json!(false)), "{changed:?}");
    assert_eq!(server.call("list_work_orders", Some(&fresh), list).await.status, 200);
}

#[tokio::test]
async fn deactivating_an_account_ends_its_sessions_on_the_very_next_request() {
    let server = TestServer::demo().await;
    let email = server.demo_email(Role::Landlord).await;
    let landlord = server.sign_in(&email, DEMO_PASSWORD).await;
    let landlord_id = user_id(&server, &landlord).await;
    let admin = server.sign_in_as(Role::Admin).await;
    let list = json!({ "request": { "limit": 5 } });
    assert_eq!(server.call("list_work_orders", Some(&landlord), list.clone()).await.status, 200);

    let off = server.call("set_user_active", Some(&admin), json!({ "user": landlord_id, "active": false })).await;
    assert_eq!((off.status, &off.body["status"]), (200, &json!("Deactivated")), "{off:?}");
    assert_refused(&server.call("list_work_orders", Some(&landlord), list.clone()).await, "after deactivation");
    let again = server.try_sign_in(&email, DEMO_PASSWORD).await;
    assert_eq!((again.status, again.code()), (403, "not_allowed"), "{again:?}");
    assert!(again.message().contains("deactivated"), "{again:?}");

    let on = server.call("set_user_active", Some(&admin), json!({ "user": landlord_id, "active": true })).await;
    assert_eq!(on.status, 200, "{on:?}");
    let back = server.sign_in(&email, DEMO_PASSWORD).await;
    assert_eq!(server.call("list_work_orders", Some(&back), list).await.status, 200);
}

#[tokio::test]
async fn changing_the_password_ends_the_users_other_sessions_but_not_this_one() {
    let server = TestServer::demo().await;
    let email = server.demo_email(Role::Tenant).await;
    let here = server.sign_in(&email, DEMO_PASSWORD).await;
    let elsewhere = server.sign_in(&email, DEMO_PASSWORD).await;
    let change = json!({ "request": { "current": DEMO_PASSWORD, "new": "another long passphrase" } });
    assert_eq!(server.call("change_password", Some(&here), change).await.status, 200);
    assert_refused(&server.call("tenant_dashboard", Some(&elsewhere), json!({})).await, "the other session");
    assert_eq!(server.call("tenant_dashboard", Some(&here), json!({})).await.status, 200);
    assert_eq!(server.try_sign_in(&email, DEMO_PASSWORD).await.status, 403, "the old password no longer works");
    server.sign_in(&email, "another long passphrase").await;
}

#[tokio::test]
async fn only_a_hash_of_the_token_is_stored() {
    let server = TestServer::demo().await;
    let token = server.sign_in_as(Role::Contractor).await;
    let (stored,): (i64,) = plumbline_service::db::Sql::new("SELECT count(*) FROM sessions WHERE token_sha256 = ?")
        .bind(token.clone())
        .fetch_one(server.store())
        .await
        .expect("count");
    assert_eq!(stored, 0, "the secret itself is nowhere in the store");
    let expires =
        server.try_sign_in(&server.demo_email(Role::Contractor).await, DEMO_PASSWORD).await.body["expires_at"].clone();
    let expires: chrono::DateTime<chrono::Utc> = serde_json::from_value(expires).expect("an instant");
    let hours = (expires - plumbline_server::now()).num_minutes() as f64 / 60.0;
    assert!((11.9..=12.0).contains(&hours), "a session lasts 12 hours without Remember me: {hours}");
}
