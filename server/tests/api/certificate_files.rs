//! A compliance certificate's file over HTTPS: staff send it (one file, within the
//! agency's limit per file), the property's landlord downloads the very bytes, and
//! anyone else is refused before the body is read, with nothing stored.

use plumbline_domain::Role;
use plumbline_service::db::Sql;
use plumbline_test_support::{Answer, TestServer};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const JPEG: &[u8] = include_bytes!("../../../service/tests/fixtures/leak.jpg");
const PDF: &[u8] = include_bytes!("../../../service/tests/fixtures/invoice.pdf");

fn form(files: &[(&str, &[u8])]) -> Form {
    files.iter().fold(Form::new(), |form, (name, bytes)| {
        form.part("file", Part::bytes(bytes.to_vec()).file_name((*name).to_owned()))
    })
}

fn file_url(server: &TestServer, certificate: i64) -> String {
    format!("{}/api/v1/certificates/{certificate}/file", server.base)
}

async fn send(server: &TestServer, token: &str, certificate: i64, form: Form) -> Answer {
    let request = server.client.post(file_url(server, certificate)).bearer_auth(token).multipart(form);
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON body");
    Answer { status, body }
}

/// A gas safety certificate staff record on the demo landlord's first property: its id,
/// and the landlord's token.
async fn recorded(server: &TestServer, staff: &str) -> (i64, String) {
    let email = server.demo_email(Role::Landlord).await;
    let (property,): (i64,) =
        Sql::new("SELECT min(p.id) FROM properties p JOIN users u ON u.id = p.landlord_id WHERE u.email = ?")
            .bind(&email)
            .fetch_one(server.store())
            .await
            .expect("the landlord's property");
    let today = plumbline_server::now().date_naive();
    let certificate = json!({"property": property, "kind": "Gas safety", "issued_on": today, "expires_on": null});
    let answer = server.call("record_certificate", Some(staff), json!({ "certificate": certificate })).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let id = answer.body["id"].as_i64().expect("an id");
    (id, server.sign_in(&email, plumbline_service::accounts::DEMO_PASSWORD).await)
}

async fn stored_name(server: &TestServer, certificate: i64) -> Option<String> {
    let (name,): (Option<String>,) = Sql::new("SELECT file_name FROM certificates WHERE id = ?")
        .bind(certificate)
        .fetch_one(server.store())
        .await
        .expect("the certificate");
    name
}

#[tokio::test]
async fn staff_send_a_certificates_file_and_its_landlord_downloads_the_very_bytes() {
    let server = TestServer::demo().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let (certificate, landlord) = recorded(&server, &staff).await;

    let sent = send(&server, &staff, certificate, form(&[("Gas safety 2026.pdf", PDF)])).await;
    assert_eq!(sent.status, 200, "{sent:?}");
    assert_eq!(sent.body["file"]["name"], json!("Gas safety 2026.pdf"));
    assert_eq!(sent.body["file"]["media_type"], json!("Pdf"));

    let response = server.client.get(file_url(&server, certificate)).bearer_auth(&landlord).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers()[name].to_str().expect("ASCII").to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("content-disposition"), "attachment; filename*=UTF-8''Gas%20safety%202026%2Epdf");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF, "the very bytes sent");

    // The listing names it for the landlord's desk too.
    let listed = server.call("list_certificates", Some(&landlord), json!({"request": {"property": null}})).await;
    let ours = listed.body.as_array().expect("a list").iter().find(|c| c["id"] == json!(certificate)).cloned();
    assert_eq!(ours.map(|c| c["file"]["name"].clone()), Some(json!("Gas safety 2026.pdf")));
}

#[tokio::test]
async fn only_staff_send_one_file_and_strangers_get_nothing() {
    let server = TestServer::demo().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let (certificate, landlord) = recorded(&server, &staff).await;

    let by_landlord = send(&server, &landlord, certificate, form(&[("gas.pdf", PDF)])).await;
    assert_eq!(by_landlord.status, 403, "{by_landlord:?}");
    let two = send(&server, &staff, certificate, form(&[("gas.pdf", PDF), ("page 2.jpg", JPEG)])).await;
    assert_eq!(two.status, 400, "{two:?}");
    assert_eq!(two.message(), "One file may be attached at once");
    let none = send(&server, &staff, certificate, Form::new()).await;
    assert_eq!(none.status, 400, "{none:?}");
    let unknown = send(&server, &staff, 999_999, form(&[("gas.pdf", PDF)])).await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
    assert_eq!(stored_name(&server, certificate).await, None, "nothing named on the certificate");

    let download = |token: Option<String>| {
        let request = server.client.get(file_url(&server, certificate));
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        async move { request.send().await.expect("the server answers").status().as_u16() }
    };
    assert_eq!(download(Some(staff.clone())).await, 404, "no file yet");
    assert_eq!(send(&server, &staff, certificate, form(&[("gas.pdf", PDF)])).await.status, 200);
    assert_eq!(download(Some(staff.clone())).await, 200);
    assert_eq!(download(None).await, 401);
    assert_eq!(download(Some(server.sign_in_as(Role::Tenant).await)).await, 403, "tenants see no certificates");
    let other_landlord = {
        let email = server.demo_email(Role::Landlord).await;
        let (other,): (String,) =
            Sql::new("SELECT email FROM users WHERE role = 'landlord' AND email <> ? ORDER BY id LIMIT 1")
                .bind(&email)
                .fetch_one(server.store())
                .await
                .expect("another landlord");
        server.sign_in(&other, plumbline_service::accounts::DEMO_PASSWORD).await
    };
    assert_eq!(download(Some(other_landlord)).await, 404, "not theirs: not found");
}
