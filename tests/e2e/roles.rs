//! Each role in the real app: signed in through the sign-in screen, doing that role's
//! main path, and refused by the backend whatever the webview sends.

use crate::harness::{App, Launch};
use anyhow::Result;
use plumbline_domain::{UserId, WorkOrderId};
use plumbline_service::Store;
use serde_json::{Value, json};

/// (order, its version, its landlord) for the first order in `state`, optionally not of `landlord`.
async fn order_in(store: &Store, state: &str, not_of: Option<UserId>) -> Result<(WorkOrderId, i64, UserId)> {
    let (id, version, landlord): (i64, i64, i64) = sqlx::query_as(
        "SELECT w.id, w.version, p.landlord_id FROM work_orders w JOIN properties p ON p.id = w.property_id
         WHERE w.state = ? AND p.landlord_id <> ? ORDER BY w.id LIMIT 1",
    )
    .bind(state)
    .bind(not_of.map_or(0, |user| user.0))
    .fetch_one(store.pool())
    .await?;
    Ok((WorkOrderId(id), version, UserId(landlord)))
}

/// Every column of an order, to show a refused call changed nothing.
async fn snapshot(store: &Store, id: WorkOrderId) -> Result<String> {
    let (row,): (String,) = sqlx::query_as(
        "SELECT json_array(state, version, contractor_id, approved_minor, updated_at,
                (SELECT count(*) FROM work_order_events WHERE work_order_id = w.id))
         FROM work_orders w WHERE id = ?",
    )
    .bind(id.0)
    .fetch_one(store.pool())
    .await?;
    Ok(row)
}

fn error_code(answer: &Value) -> &str {
    answer["err"]["code"].as_str().unwrap_or("(no error)")
}

#[tokio::test]
async fn a_landlord_calling_commands_directly_is_refused_and_nothing_changes() -> Result<()> {
    let app = App::start("landlord-direct-calls", Launch::default()).await?;
    let store = app.store().await?;
    let (own_new, own_version, landlord) = order_in(&store, "New", None).await?;
    let (theirs, their_version, other_landlord) = order_in(&store, "AwaitingApproval", Some(landlord)).await?;
    let before = (snapshot(&store, own_new).await?, snapshot(&store, theirs).await?);
    let users_before: (i64,) = sqlx::query_as("SELECT count(*) FROM users").fetch_one(store.pool()).await?;
    app.sign_in_as(landlord).await?;
    app.wait_for("[data-nav='Work orders']").await?;

    // Another landlord's order: not even its existence is confirmed.
    let read = app.invoke("get_work_order", json!({ "id": theirs.0 })).await?;
    assert_eq!(error_code(&read), "not_found", "{read}");
    let approve = json!({ "request": { "id": theirs.0, "version": their_version, "step": { "action": "Approve", "note": "ok" } } });
    let approve = app.invoke("act_on_work_order", approve).await?;
    assert_eq!(error_code(&approve), "not_found", "{approve}");
    let listed = json!({ "request": { "filter": { "landlord": other_landlord.0 }, "limit": 100 } });
    let listed = app.invoke("list_work_orders", listed).await?;
    assert_eq!(listed["ok"]["rows"].as_array().map(Vec::len), Some(0), "{listed}");

    // A contractor's earnings and the agency's screens.
    for command in ["contractor_dashboard", "staff_dashboard", "triage_queue"] {
        let answer = app.invoke(command, json!({})).await?;
        assert_eq!(error_code(&answer), "not_allowed", "{command}: {answer}");
    }
    let invite = json!({ "user": { "name": "Mallory", "email": "mallory@example.com", "phone": "", "role": "Admin", "company": "" } });
    assert_eq!(error_code(&app.invoke("create_user", invite).await?), "not_allowed");

    // A staff-only step on their own order.
    let contractor: (i64,) = sqlx::query_as("SELECT user_id FROM contractors LIMIT 1").fetch_one(store.pool()).await?;
    let assign = json!({ "request": { "id": own_new.0, "version": own_version, "step": { "action": "Assign", "contractor": contractor.0 } } });
    let assign = app.invoke("act_on_work_order", assign).await?;
    assert_eq!(error_code(&assign), "not_allowed", "{assign}");

    assert_eq!((snapshot(&store, own_new).await?, snapshot(&store, theirs).await?), before);
    let users_after: (i64,) = sqlx::query_as("SELECT count(*) FROM users").fetch_one(store.pool()).await?;
    assert_eq!(users_after, users_before);
    app.finish().await
}
