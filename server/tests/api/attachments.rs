//! Attachments over HTTPS: uploads checked and kept as the desktop's own store would keep
//! them (type from content, the agency's limits, the order's parties only, all or none,
//! nothing left in staging), and downloads of the very bytes, to the order's parties only.

use plumbline_domain::Role;
use plumbline_service::db::Sql;
use plumbline_test_support::{Answer, TestServer};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const JPEG: &[u8] = include_bytes!("../../../service/tests/fixtures/leak.jpg");
const PDF: &[u8] = include_bytes!("../../../service/tests/fixtures/invoice.pdf");

fn form(files: &[(&str, &[u8])]) -> Form {
    files.iter().fold(Form::new(), |form, (name, bytes)| {
        form.part("file", Part::bytes(bytes.to_vec()).file_name((*name).to_owned()))
    })
}

async fn upload(server: &TestServer, token: Option<&str>, order: i64, kind: &str, form: Form) -> Answer {
    let url = format!("{}/api/v1/work_orders/{order}/attachments?kind={kind}", server.base);
    let mut request = server.client.post(url).multipart(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON body");
    Answer { status, body }
}

async fn one(server: &TestServer, sql: &str, bind: i64) -> i64 {
    let (value,): (i64,) = Sql::new(sql).bind(bind).fetch_one(server.store()).await.expect("a value");
    value
}

/// An order of the demo tenant's, and the tenant's token.
async fn tenants_order(server: &TestServer) -> (i64, String) {
    let email = server.demo_email(Role::Tenant).await;
    let (tenant,): (i64,) = Sql::new("SELECT id FROM users WHERE email = ?")
        .bind(&email)
        .fetch_one(server.store())
        .await
        .expect("the tenant");
    let order = one(server, "SELECT min(id) FROM work_orders WHERE tenant_id = ?", tenant).await;
    (order, server.sign_in(&email, plumbline_service::accounts::DEMO_PASSWORD).await)
}

/// Another tenant, who is no party to the first tenant's orders: their token.
async fn another_tenant(server: &TestServer) -> String {
    let first = server.demo_email(Role::Tenant).await;
    let (email,): (String,) =
        Sql::new("SELECT email FROM users WHERE role = 'tenant' AND email <> ? ORDER BY id DESC LIMIT 1")
            .bind(&first)
            .fetch_one(server.store())
            .await
            .expect("a second tenant");
    server.sign_in(&email, plumbline_service::accounts::DEMO_PASSWORD).await
}

/// What the files directory holds: stored content and any staging left behind.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|entry| entry.expect("an entry").path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn a_party_uploads_photos_and_pdfs_that_are_kept_by_content_and_downloaded_as_sent() {
    let server = TestServer::demo().await;
    let (order, tenant) = tenants_order(&server).await;
    let events_before = one(&server, "SELECT count(*) FROM work_order_events WHERE work_order_id = ?", order).await;

    let files = form(&[("Kitchen leak.jpg", JPEG), ("quote from plumber.pdf", PDF)]);
    let added = upload(&server, Some(&tenant), order, "before", files).await;
    assert_eq!(added.status, 200, "{added:?}");
    let names: Vec<&str> =
        added.body.as_array().expect("a list").iter().filter_map(|a| a["file_name"].as_str()).collect();
    assert_eq!(names, ["Kitchen leak.jpg", "quote from plumber.pdf"]);
    assert_eq!(added.body[0]["media_type"], json!("Jpeg"), "{added:?}");
    assert_eq!(one(&server, "SELECT count(*) FROM attachments WHERE work_order_id = ?", order).await, 2);
    assert_eq!(
        one(&server, "SELECT count(*) FROM work_order_events WHERE work_order_id = ?", order).await,
        events_before + 1
    );
    let stored = files_in(&server.store().files_dir());
    assert_eq!(stored.len(), 2, "two files by content, nothing staged left: {stored:?}");

    let photo = added.body[0]["id"].as_i64().expect("an id");
    let staff = server.sign_in_as(Role::Staff).await;
    let response = server
        .client
        .get(format!("{}/api/v1/attachments/{photo}/content", server.base))
        .bearer_auth(&staff)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers()[name].to_str().expect("ASCII").to_owned();
    assert_eq!(header("content-type"), "image/jpeg");
    assert_eq!(header("content-disposition"), "attachment; filename*=UTF-8''Kitchen%20leak%2Ejpg");
    assert_eq!(response.bytes().await.expect("the bytes").as_ref(), JPEG, "the very bytes sent");
}

#[tokio::test]
async fn refused_uploads_store_nothing_and_leave_nothing_staged() {
    let server = TestServer::demo().await;
    let (order, tenant) = tenants_order(&server).await;
    let stranger = another_tenant(&server).await;
    let (tenant, stranger) = (Some(tenant.as_str()), Some(stranger.as_str()));
    let photo = || form(&[("a.jpg", JPEG)]);
    let cases = [
        ("no token", None, "before", photo(), (401, "not_signed_in")),
        ("not a party", stranger, "before", photo(), (404, "not_found")),
        ("unknown kind", tenant, "sideways", photo(), (400, "validation")),
        ("not a photo", tenant, "before", form(&[("a.jpg", b"just text, not a JPEG")]), (400, "validation")),
        ("one bad of two", tenant, "before", form(&[("a.jpg", JPEG), ("empty.pdf", b"")]), (400, "validation")),
    ];
    for (case, token, kind, files, expected) in cases {
        let refused = upload(&server, token, order, kind, files).await;
        assert_eq!((refused.status, refused.code()), expected, "{case}: {refused:?}");
        assert_eq!(server.count("attachments").await, 0, "{case}");
        assert_eq!(files_in(&server.store().files_dir()), Vec::<PathBuf>::new(), "{case}");
    }
    let not_multipart = server.post_raw(&format!("work_orders/{order}/attachments?kind=before"), tenant, "{}").await;
    assert_eq!(not_multipart.status, 400, "{not_multipart:?}");
}

#[tokio::test]
async fn the_agencys_limits_stop_an_upload_as_it_streams() {
    let server = TestServer::demo().await;
    let (order, tenant) = tenants_order(&server).await;
    Sql::new("UPDATE agency SET max_attachment_bytes = ?, max_order_attachment_bytes = ?")
        .bind(JPEG.len() as i64 + 10)
        .bind(JPEG.len() as i64 * 2 + 10)
        .execute(server.store())
        .await
        .expect("limits set");
    let big = vec![0xFF_u8; JPEG.len() + 11];
    let refused = upload(&server, Some(&tenant), order, "before", form(&[("huge.jpg", &big)])).await;
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(refused.message().to_lowercase().starts_with("huge.jpg is larger than"), "{}", refused.message());
    assert_eq!(refused.body["field"], json!("files"));

    let three = form(&[("a.jpg", JPEG), ("b.jpg", JPEG), ("c.jpg", JPEG)]);
    let refused = upload(&server, Some(&tenant), order, "before", three).await;
    assert!(refused.message().contains("an order may hold at most"), "{}", refused.message());
    assert_eq!(server.count("attachments").await, 0);
    assert_eq!(files_in(&server.store().files_dir()), Vec::<PathBuf>::new());

    let two = upload(&server, Some(&tenant), order, "before", form(&[("a.jpg", JPEG), ("b.jpg", JPEG)])).await;
    assert_eq!(two.status, 200, "within both limits: {two:?}");
}

#[tokio::test]
async fn only_the_orders_parties_download_its_files() {
    let server = TestServer::demo().await;
    let (order, tenant) = tenants_order(&server).await;
    let added = upload(&server, Some(&tenant), order, "before", form(&[("leak.jpg", JPEG)])).await;
    let photo = added.body[0]["id"].as_i64().expect("an id");
    let download = |token: Option<String>| {
        let request = server.client.get(format!("{}/api/v1/attachments/{photo}/content", server.base));
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        async move { request.send().await.expect("the server answers").status().as_u16() }
    };
    assert_eq!(download(Some(tenant.clone())).await, 200);
    assert_eq!(download(None).await, 401);
    assert_eq!(download(Some(server.sign_in_as(Role::Staff).await)).await, 200);
    assert_eq!(download(Some(another_tenant(&server).await)).await, 404, "not a party: not found");
    let missing = server
        .client
        .get(format!("{}/api/v1/attachments/999999/content", server.base))
        .bearer_auth(&tenant)
        .send()
        .await
        .expect("an answer");
    assert_eq!(missing.status().as_u16(), 404);
}
