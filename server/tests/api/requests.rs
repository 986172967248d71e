//! The transport: health, the certificate, bodies that are not a command's arguments,
//! names that are not commands, answers in the format asked, and stopping with a request
//! in flight.

use plumbline_domain::api::CategoryRecord;
use plumbline_domain::{Role, wire};
use plumbline_server::tls::fingerprint;
use plumbline_test_support::TestServer;
use serde_json::json;

async fn some_order(server: &TestServer) -> i64 {
    let (id,): (i64,) = plumbline_service::db::Sql::new("SELECT min(id) FROM work_orders")
        .fetch_one(server.store())
        .await
        .expect("an order");
    id
}

#[tokio::test]
async fn health_is_ok_while_the_database_answers() {
    let server = TestServer::demo().await;
    let health = server.get("/healthz").await;
    let schema_version = plumbline_service::Store::schema_version();
    assert!(schema_version >= 24, "the newest migration: {schema_version}");
    let expected = json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION"), "schema_version": schema_version });
    assert_eq!((health.status, health.body), (200, expected));
}

#[tokio::test]
async fn the_certificate_served_is_the_one_whose_fingerprint_is_printed() {
    let server = TestServer::demo().await;
    let response = server.client.get(format!("{}/healthz", server.base)).send().await.expect("answers");
    let info = response.extensions().get::<reqwest::tls::TlsInfo>().expect("TLS info");
    let served = info.peer_certificate().expect("a certificate");
    assert_eq!(fingerprint(served), server.server().identity().fingerprint);
}

/// A page asks for bytes of this version's shapes (`wire::MEDIA_TYPE`) and gets them; a
/// page or desktop of another version, or anyone else, gets JSON, which it cannot misread.
#[tokio::test]
async fn answers_are_the_pages_bytes_only_when_asked_for_by_this_version() {
    let server = TestServer::demo().await;
    let token = server.sign_in_as(Role::Admin).await;
    let ask = |accept: &str| {
        let url = format!("{}/api/v1/list_categories", server.base);
        let request = server.client.post(url).bearer_auth(&token).header("accept", accept);
        async move { request.header("content-type", "application/json").body("{}").send().await.expect("answers") }
    };
    let answered = ask(wire::MEDIA_TYPE).await;
    assert_eq!(answered.headers()["content-type"], wire::MEDIA_TYPE);
    let categories: Vec<CategoryRecord> = wire::decode(&answered.bytes().await.expect("a body")).expect("bytes");
    assert!(!categories.is_empty(), "the demo agency's categories");
    for accept in ["application/x-postcard; plumbline=0.0.1", "application/json", "*/*"] {
        let answered = ask(accept).await;
        assert_eq!(answered.headers()["content-type"], "application/json", "{accept}");
        let read: Vec<CategoryRecord> = answered.json().await.expect("JSON");
        assert_eq!(read, categories, "{accept}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_and_stores_nothing() {
    let server = TestServer::demo().await;
    let token = server.sign_in_as(Role::Staff).await;
    let before = server.count("messages").await;
    let answer = server.post_raw("post_message", Some(&token), "{\"request\": {\"id\": 1, ").await;
    assert_eq!((answer.status, answer.code()), (400, "validation"), "{answer:?}");
    assert!(answer.message().starts_with("The request's arguments are not right"), "{answer:?}");
    assert_eq!(server.count("messages").await, before);
}

#[tokio::test]
async fn unknown_fields_are_refused_by_name_and_store_nothing() {
    let server = TestServer::demo().await;
    let token = server.sign_in_as(Role::Staff).await;
    let order = some_order(&server).await;
    let before = server.count("messages").await;
    let message = json!({ "id": order, "body": "Hello", "internal": false });
    let extra_argument = json!({ "request": message, "as_user": 1 });
    let answer = server.call("post_message", Some(&token), extra_argument).await;
    assert_eq!((answer.status, answer.code()), (400, "validation"), "{answer:?}");
    assert!(answer.message().contains("unknown field `as_user`"), "{answer:?}");
    let missing_argument = server.call("post_message", Some(&token), json!({})).await;
    assert_eq!((missing_argument.status, missing_argument.code()), (400, "validation"), "{missing_argument:?}");
    assert!(missing_argument.message().contains("missing field `request`"), "{missing_argument:?}");
    assert_eq!(server.count("messages").await, before);
    // The same message, well formed, is stored: the refusals were about the shape alone.
    let posted = server.call("post_message", Some(&token), json!({ "request": message })).await;
    assert_eq!(posted.status, 200, "{posted:?}");
    assert_eq!(server.count("messages").await, before + 1);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_and_stores_nothing() {
    let server = TestServer::demo().await;
    let token = server.sign_in_as(Role::Staff).await;
    let order = some_order(&server).await;
    let before = server.count("messages").await;
    let huge = "x".repeat(1 << 20);
    let body = json!({ "request": { "id": order, "body": huge, "internal": false } }).to_string();
    let answer = server.post_raw("post_message", Some(&token), body).await;
    assert_eq!(answer.status, 413, "{answer:?}");
    assert_eq!(answer.code(), "validation");
    assert!(answer.message().contains("1 MiB"), "{answer:?}");
    assert_eq!(server.count("messages").await, before);
}

#[tokio::test]
async fn names_that_are_not_server_commands_are_not_found() {
    let server = TestServer::demo().await;
    let token = server.sign_in_as(Role::Staff).await;
    let unknown = server.call("drop_everything", Some(&token), json!({})).await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"), "{unknown:?}");
    // The native file dialog and the OS's apps are the desktop's own.
    let local = server.call("open_attachment", Some(&token), json!({ "id": 1 })).await;
    assert_eq!((local.status, local.code()), (404, "not_found"), "{local:?}");
    assert!(local.message().contains("desktop"), "{local:?}");
    let elsewhere = server.get("/api/v2/anything").await;
    assert_eq!((elsewhere.status, elsewhere.code()), (404, "not_found"), "{elsewhere:?}");
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let server = TestServer::demo().await;
    let response = server.client.get(format!("{}/healthz", server.base)).send().await.expect("answers");
    let id = response.headers().get("x-request-id").expect("a request id").to_str().expect("text");
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

#[tokio::test]
async fn stopping_finishes_the_request_in_flight() {
    let mut server = TestServer::demo().await;
    let email = server.demo_email(Role::Tenant).await;
    // Signing in hashes a password: long enough to be in flight when the stop comes.
    let request = server
        .client
        .post(format!("{}/api/v1/sign_in", server.base))
        .json(&json!({ "request": { "email": email, "password": plumbline_service::accounts::DEMO_PASSWORD, "remember": false } }))
        .send();
    let in_flight = tokio::spawn(request);
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    server.shutdown().await;
    let response = in_flight.await.expect("joined").expect("answered despite the stop");
    assert_eq!(response.status().as_u16(), 200);
    // And then the port is closed.
    assert!(server.client.get(format!("{}/healthz", server.base)).send().await.is_err());
}
