//! An agency's book imported through the server: a file far larger than a command's
//! usual JSON, by an admin only, the same report as in process, once.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plumbline_domain::Role;
use plumbline_test_support::TestServer;
use plumbline_test_support::agency_book::properties_csv;
use serde_json::json;

#[tokio::test]
async fn a_large_book_is_imported_over_https_by_an_admin_and_again_adds_nothing() {
    let server = TestServer::demo().await;
    let book = properties_csv(2_000);
    let file = json!({ "file": { "file_name": "book.csv", "content_base64": STANDARD.encode(&book.bytes) } });
    assert!(file.to_string().len() > 1 << 20, "larger than a command's usual limit");
    let before = server.count("tenancies").await;

    let staff = server.sign_in_as(Role::Staff).await;
    let refused = server.call("run_import", Some(&staff), file.clone()).await;
    assert_eq!((refused.status, refused.code()), (403, "not_allowed"), "{refused:?}");

    let admin = server.sign_in_as(Role::Admin).await;
    let preview = server.call("preview_import", Some(&admin), file.clone()).await;
    assert_eq!(preview.status, 200, "{preview:?}");
    assert_eq!(server.count("tenancies").await, before, "a preview stores nothing");
    let report = server.call("run_import", Some(&admin), file.clone()).await;
    assert_eq!(report.status, 200, "{report:?}");
    assert_eq!(report.body["created"], preview.body["created"]);
    assert_eq!(report.body["rejected"].as_array().map(Vec::len), Some(book.bad_rows.len()));
    assert_eq!(server.count("tenancies").await, before + book.good_rows as i64);

    let again = server.call("run_import", Some(&admin), file).await;
    assert_eq!(again.body["unchanged"], json!(book.good_rows));
    assert_eq!(server.count("tenancies").await, before + book.good_rows as i64);

    // Other commands keep their usual limit.
    let huge = json!({ "request": { "id": 1, "body": "x".repeat(2 << 20), "internal": false } });
    let refused = server.call("post_message", Some(&admin), huge).await;
    assert_eq!(refused.status, 413, "{refused:?}");
}
