//! An order's thread in the real app: a tenant writes through the UI and staff read it
//! on the order; staff's internal note is on no other party's screen and not in what
//! the backend sends them, however they ask.

use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use fantoccini::key::Key;
use plumbline_domain::commands;
use plumbline_domain::{Reference, UserId, WorkOrderId};
use plumbline_service::Store;
use plumbline_service::db::Sql;
use serde_json::{Value, json};

const TENANT_WRITES: &str = "The tap is dripping again since Tuesday";
const NOTE: &str = "Internal: tenant has withheld rent, check before booking";

fn ctrl(key: &str) -> String {
    format!("{}{key}{}", &*Key::Control, &*Key::Null)
}

/// An open order raised by a tenant: (order, tenant, landlord).
async fn tenants_open_order(store: &Store) -> Result<(WorkOrderId, UserId, UserId)> {
    let (id, tenant, landlord): (i64, i64, i64) = Sql::new(
        "SELECT w.id, w.tenant_id, p.landlord_id FROM work_orders w JOIN properties p ON p.id = w.property_id
         WHERE w.tenant_id IS NOT NULL AND w.state IN ('New', 'Assigned', 'InProgress') ORDER BY w.id DESC LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    Ok((WorkOrderId(id), UserId(tenant), UserId(landlord)))
}

/// Opens the order from the palette (Ctrl+K, its reference, Enter) and waits for its thread.
async fn open_order(app: &App, reference: &Reference) -> Result<()> {
    // The desk first: on the sign-in screen there is no palette.
    app.wait_for("[data-nav='Dashboard']").await?;
    app.press(&ctrl("k")).await?;
    app.wait_for("[data-testid=palette-input]").await?;
    app.press(&format!("{reference}{}", &*Key::Enter)).await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    app.wait_for("[data-testid=messages] textarea[data-field=body]").await?;
    Ok(())
}

async fn sign_out(app: &App) -> Result<()> {
    app.wait_for("#sign-out").await?.click().await?;
    app.wait_for("#email").await?;
    Ok(())
}

async fn stored_bodies(store: &Store, id: WorkOrderId) -> Result<Vec<(String, bool)>> {
    Ok(Sql::new("SELECT body, internal FROM messages WHERE work_order_id = ? ORDER BY id")
        .bind(id.0)
        .fetch_all(store)
        .await?)
}

/// What `list_messages` sends the signed-in user, called as any script in the webview could.
async fn listed_bodies(app: &App, id: WorkOrderId) -> Result<Vec<String>> {
    let answer: Value = app.invoke::<commands::ListMessages>(json!({ "id": id.0 })).await?;
    let messages = answer["ok"]["messages"].as_array().with_context(|| format!("list_messages: {answer}"))?;
    Ok(messages.iter().filter_map(|m| m["body"].as_str().map(str::to_owned)).collect())
}

#[tokio::test]
async fn a_tenants_message_reaches_staff_and_an_internal_note_reaches_no_one_else() -> Result<()> {
    let app = App::start("messages", Launch::default()).await?;
    let store = app.store().await?;
    let (id, tenant, landlord) = tenants_open_order(&store).await?;
    let reference = Reference::of(id);
    // The tenant writes on their order; Ctrl+Enter sends.
    app.sign_in_as(tenant).await?;
    open_order(&app, &reference).await?;
    app.wait_for("[data-testid=messages] textarea[data-field=body]").await?.click().await?;
    app.press(TENANT_WRITES).await?;
    app.press(&ctrl(&Key::Enter)).await?;
    app.wait_for_text("[data-testid=messages] [data-testid=thread]", |t| t.contains(TENANT_WRITES)).await?;
    assert_eq!(stored_bodies(&store, id).await?, [(TENANT_WRITES.to_owned(), false)]);
    assert!(
        app.find_all("[data-testid=messages] [data-testid=mode-internal]").await?.is_empty(),
        "no internal-note mode for a tenant"
    );
    sign_out(&app).await?;

    // Staff see it, new, on the order and answer with an internal note.
    app.sign_in_as_staff().await?;
    open_order(&app, &reference).await?;
    app.wait_for_text("[data-testid=messages] [data-testid=thread]", |t| t.contains(TENANT_WRITES)).await?;
    app.wait_for_text("[data-testid=messages] [data-testid=unread]", |t| t.eq_ignore_ascii_case("1 new")).await?;
    app.wait_for("[data-testid=messages] [data-testid=mode-internal]").await?.click().await?;
    app.wait_for("[data-testid=messages] textarea[data-field=body]").await?.send_keys(NOTE).await?;
    app.wait_for("[data-testid=send-message]").await?.click().await?;
    app.wait_for_text("[data-testid=messages] [data-internal=true]", |t| {
        t.contains(NOTE) && t.to_lowercase().contains("agency only")
    })
    .await?;
    assert_eq!(stored_bodies(&store, id).await?, [(TENANT_WRITES.to_owned(), false), (NOTE.to_owned(), true)]);
    // The mode stays as chosen after the send (#16): the next message would be a note too.
    app.wait_for("[data-testid=messages] .composer[data-mode=internal]").await?;
    app.save_screen("messages-staff").await?;
    sign_out(&app).await?;

    // Neither the tenant nor the landlord is shown the note, nor sent it.
    for party in [tenant, landlord] {
        app.sign_in_as(party).await?;
        open_order(&app, &reference).await?;
        app.wait_for_text("[data-testid=messages] [data-testid=thread]", |t| t.contains(TENANT_WRITES)).await?;
        let shown = app.text("main").await?;
        assert!(!shown.contains(NOTE), "the note is on screen for {party:?}");
        assert!(app.find_all("[data-internal=true]").await?.is_empty());
        assert_eq!(listed_bodies(&app, id).await?, [TENANT_WRITES], "list_messages as {party:?}");
        sign_out(&app).await?;
    }
    app.finish().await
}
