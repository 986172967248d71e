//! The exports as files (#21's downloads): the export commands posted like any other,
//! answered with the file itself — the order's summary PDF, the list's and a report's
//! CSV, the evidence pack — named as the desktop's dialog suggests, read as the signed-in
//! user sees the screens, with the desktop's refusals, and its times in the agency's
//! zone. From a desktop's bearer token and from a browser's cookie and page token alike.

use plumbline_domain::api::{ReportKind, TimelineEntry};
use plumbline_domain::{Reference, Role, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::exports;
use plumbline_test_support::{TestServer, WebSession, answer};
use serde_json::{Value, json};
use std::process::Command;

/// Posts an export command as a desktop's client does, with its bearer token.
async fn export(server: &TestServer, name: &str, token: &str, args: Value) -> reqwest::Response {
    let url = format!("{}/api/v1/{name}", server.base);
    let request = server.client.post(url).bearer_auth(token).header("content-type", "application/json");
    request.body(args.to_string()).send().await.expect("the server answers")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).map(|value| value.to_str().expect("text").to_owned()).unwrap_or_default()
}

/// `attachment; filename*=UTF-8''<name>`, as the server names a file.
fn named(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|byte| if byte.is_ascii_alphanumeric() { (byte as char).to_string() } else { format!("%{byte:02X}") })
        .collect();
    format!("attachment; filename*=UTF-8''{encoded}")
}

async fn id_of(server: &TestServer, role: Role) -> i64 {
    let email = server.demo_email(role).await;
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE email = ?").bind(&email).fetch_one(server.store()).await.expect("a user");
    id
}

async fn one(server: &TestServer, sql: &str, bind: i64) -> i64 {
    let (value,): (Option<i64>,) = Sql::new(sql).bind(bind).fetch_one(server.store()).await.expect("a value");
    value.expect("an order")
}

/// The demo landlord's first order, and an order of another landlord's.
async fn landlords_orders(server: &TestServer) -> (i64, i64) {
    let landlord = id_of(server, Role::Landlord).await;
    let own = "SELECT min(w.id) FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE p.landlord_id = ?";
    let other =
        "SELECT min(w.id) FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE p.landlord_id <> ?";
    (one(server, own, landlord).await, one(server, other, landlord).await)
}

/// The agency's zone set to one far from UTC, so a time written in the wrong zone shows.
async fn set_agency_zone(server: &TestServer, zone: &str) {
    let admin = server.sign_in_as(Role::Admin).await;
    let mut rules = server.call("agency_rules", Some(&admin), json!({})).await.body;
    rules["time_zone"] = json!(zone);
    let saved = server.call("update_agency_rules", Some(&admin), json!({ "rules": rules })).await;
    assert_eq!(saved.status, 200, "{saved:?}");
}

/// The PDF's text, its runs of spaces and line breaks made single spaces; `None` when
/// poppler's pdftotext is not installed.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("summary.pdf");
    std::fs::write(&path, pdf).expect("the PDF written");
    let output = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().ok()?;
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8_lossy(&output.stdout).split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Every record of a CSV file, its header row first.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_summary_is_the_orders_pdf_named_as_on_the_desktop_with_its_times_in_the_agencys_zone() {
    let server = TestServer::demo().await;
    set_agency_zone(&server, "Pacific/Kiritimati").await;
    let staff = server.sign_in_as(Role::Staff).await;
    let (order, _) = landlords_orders(&server).await;
    let response = export(&server, "export_work_order_pdf", &staff, json!({ "id": order })).await;
    assert_eq!(response.status().as_u16(), 200);
    let reference = Reference::of(WorkOrderId(order)).to_string();
    assert_eq!(header(&response, "content-type"), "application/pdf");
    assert_eq!(header(&response, "content-disposition"), named(&format!("{reference} summary.pdf")));
    assert_eq!(header(&response, "cache-control"), "no-store");
    let pdf = response.bytes().await.expect("the PDF");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let pack = export(&server, "export_evidence_pack", &staff, json!({ "id": order, "internal_notes": true })).await;
    assert_eq!(pack.status().as_u16(), 200);
    assert_eq!(header(&pack, "content-disposition"), named(&format!("{reference} evidence pack.pdf")));
    assert!(pack.bytes().await.expect("the pack").starts_with(b"%PDF-"), "the evidence pack, a PDF");

    let Some(text) = pdf_text(&pdf) else { return };
    assert!(text.contains(&reference), "the reference: {text}");
    let detail = server.call("get_work_order", Some(&staff), json!({ "id": order })).await.body;
    let newest: TimelineEntry =
        serde_json::from_value(detail["timeline"].as_array().and_then(|t| t.last()).cloned().expect("a history"))
            .expect("a history step");
    assert!(text.contains(&newest.what), "the history's step {:?}: {text}", newest.what);
    let zone = exports::agency_zone(server.store()).await.expect("the agency's zone");
    let written = exports::paper_time(newest.at, &zone);
    assert!(text.contains(&written), "{:?} written in the agency's zone, {written}: {text}", newest.at);
}

#[tokio::test]
async fn a_tenant_is_refused_the_paperwork_and_another_landlords_order_is_not_found() {
    let server = TestServer::demo().await;
    let tenant_id = id_of(&server, Role::Tenant).await;
    let tenants_order = one(&server, "SELECT min(id) FROM work_orders WHERE tenant_id = ?", tenant_id).await;
    let tenant = server.sign_in_as(Role::Tenant).await;
    for name in ["export_work_order_pdf", "export_evidence_pack"] {
        let args = json!({ "id": tenants_order, "internal_notes": false });
        let args = if name == "export_work_order_pdf" { json!({ "id": tenants_order }) } else { args };
        let refused = answer(export(&server, name, &tenant, args).await).await;
        assert_eq!((refused.status, refused.code()), (403, "not_allowed"), "{name}: {refused:?}");
        assert!(refused.message().contains("Ask the agency for a copy"), "{refused:?}");
    }

    let landlord = server.sign_in_as(Role::Landlord).await;
    let (own, others) = landlords_orders(&server).await;
    let theirs = answer(export(&server, "export_work_order_pdf", &landlord, json!({ "id": others })).await).await;
    assert_eq!((theirs.status, theirs.code()), (404, "not_found"), "{theirs:?}");
    let mine = export(&server, "export_work_order_pdf", &landlord, json!({ "id": own })).await;
    assert_eq!(mine.status().as_u16(), 200, "the landlord's own order");

    let nobody = answer(
        server.client.post(format!("{}/api/v1/export_work_order_pdf", server.base)).body("{}").send().await.unwrap(),
    )
    .await;
    assert_eq!(nobody.status, 401, "not signed in: {nobody:?}");
}

#[tokio::test]
async fn the_lists_csv_holds_exactly_the_rows_its_filter_lists_in_its_sort() {
    let server = TestServer::demo().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let filter = json!({ "states": ["New", "Assigned", "InProgress"] });
    let sort = json!({ "column": "Property", "descending": false });
    let response = export(&server, "export_work_orders", &staff, json!({ "filter": filter, "sort": sort })).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, "content-type"), "text/csv; charset=utf-8");
    let zone = exports::agency_zone(server.store()).await.expect("the agency's zone");
    assert_eq!(
        header(&response, "content-disposition"),
        named(&exports::list_file_name(plumbline_server::now(), &zone))
    );
    let records = csv_records(&response.text().await.expect("the CSV"));

    let request = json!({ "request": { "filter": filter, "sort": sort, "after": null, "limit": 500 } });
    let listed = server.call("list_work_orders", Some(&staff), request).await;
    assert_eq!(listed.status, 200, "{listed:?}");
    assert!(listed.body["next"].is_null(), "the filter fits one page");
    let references: Vec<&str> = listed.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["reference"].as_str().expect("a ref"))
        .collect();
    assert!(references.len() > 1, "a list worth comparing");
    assert_eq!(records[0][..3], ["Reference", "Property", "Issue"], "the header row");
    let exported: Vec<&str> = records[1..].iter().map(|record| record[0].as_str()).collect();
    assert_eq!(exported, references, "every order the filter lists, once, in its sort");

    let filter = json!({ "from": "2026-01-01", "to": "2026-11-23", "landlord": null, "property": null,
        "category": null, "priority": null, "repeat_months": 6 });
    let request = json!({ "request": { "kind": "Spend", "filter": filter } });
    let report = export(&server, "export_report", &staff, request.clone()).await;
    assert_eq!(report.status().as_u16(), 200);
    assert_eq!(header(&report, "content-type"), "text/csv; charset=utf-8");
    let name = exports::report_file_name(ReportKind::Spend, plumbline_server::now(), &zone);
    assert_eq!(header(&report, "content-disposition"), named(&name));
    let records = csv_records(&report.text().await.expect("the CSV"));
    let shown = server.call("run_report", Some(&staff), request).await.body;
    assert_eq!(records.len(), 1 + shown["table"]["rows"].as_array().expect("the table's rows").len());
}

async fn web_export(
    server: &TestServer,
    name: &str,
    session: &WebSession,
    csrf: bool,
    args: Value,
) -> reqwest::Response {
    server.web_post(name, Some(session), csrf, args).await
}

#[tokio::test]
async fn a_browser_downloads_with_its_cookie_and_page_token_and_never_without_the_token() {
    let server = TestServer::demo().await;
    let contractor_id = id_of(&server, Role::Contractor).await;
    let order = one(&server, "SELECT min(id) FROM work_orders WHERE contractor_id = ?", contractor_id).await;
    let contractor = server.web_sign_in_as(Role::Contractor).await;

    let pdf = web_export(&server, "export_work_order_pdf", &contractor, true, json!({ "id": order })).await;
    assert_eq!(pdf.status().as_u16(), 200);
    assert_eq!(header(&pdf, "content-type"), "application/pdf");
    let reference = Reference::of(WorkOrderId(order)).to_string();
    assert_eq!(header(&pdf, "content-disposition"), named(&format!("{reference} summary.pdf")));
    assert!(pdf.bytes().await.expect("the PDF").starts_with(b"%PDF-"));

    let args = json!({ "filter": {}, "sort": { "column": "Opened", "descending": true } });
    let csv = web_export(&server, "export_work_orders", &contractor, true, args.clone()).await;
    assert_eq!(csv.status().as_u16(), 200);
    let records = csv_records(&csv.text().await.expect("the CSV"));
    let request = json!({ "request": { "filter": {}, "sort": args["sort"], "after": null, "limit": 500 } });
    let listed = server.web_call("list_work_orders", &contractor, request).await;
    let references: Vec<&str> = listed.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["reference"].as_str().expect("a ref"))
        .collect();
    let exported: Vec<&str> = records[1..].iter().map(|record| record[0].as_str()).collect();
    assert!(!references.is_empty());
    assert_eq!(exported, references, "the contractor's own orders, as their list shows them");

    for (name, args) in [("export_work_order_pdf", json!({ "id": order })), ("export_work_orders", args)] {
        let refused = answer(web_export(&server, name, &contractor, false, args).await).await;
        assert_eq!((refused.status, refused.code()), (403, "not_allowed"), "{name} without the token: {refused:?}");
    }

    let tenant = server.web_sign_in_as(Role::Tenant).await;
    let refused =
        answer(web_export(&server, "export_work_order_pdf", &tenant, true, json!({ "id": order })).await).await;
    assert_eq!(refused.status, 403, "a tenant takes no paper from the portal either: {refused:?}");
}
