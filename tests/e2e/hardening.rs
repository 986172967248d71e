//! What any script in the webview could ask the backend for directly (`invoke`), past
//! the screens: each role gets only what it may see, and bad input is refused by its
//! field with nothing stored.

use crate::harness::{App, Launch};
use crate::prepared;
use anyhow::{Context, Result};
use plumbline_domain::commands;
use plumbline_service::db::Sql;
use serde_json::{Value, json};

fn answer(value: &Value) -> Result<&Value> {
    value.get("ok").with_context(|| format!("refused: {value}"))
}

#[tokio::test]
async fn invoked_directly_the_backend_gives_each_role_only_what_it_may_see() -> Result<()> {
    let app = App::start("invoke-visibility", Launch::default()).await?;
    let store = app.store().await?;

    let (offered, contractor) = prepared::offered_with_codes(&store).await?;
    app.sign_in_as(contractor).await?;
    app.wait_for(".who-name").await?;
    let detail = app.invoke::<commands::GetWorkOrder>(json!({ "id": offered.0 })).await?;
    let access = &answer(&detail)?["access"];
    assert_eq!((&access["gate_code"], &access["lockbox_code"]), (&Value::Null, &Value::Null), "offered only: {access}");
    app.wait_for("#sign-out").await?.click().await?;

    let (tenant, estimated) = prepared::tenant_with_codes_and_an_estimate(&store).await?;
    app.sign_in_as(tenant).await?;
    app.wait_for(".who-name").await?;
    let found = app.invoke::<commands::SearchTenancies>(json!({ "request": { "query": "", "limit": 10 } })).await?;
    let choices = answer(&found)?.as_array().context("a list")?;
    assert!(!choices.is_empty(), "the tenant finds their own tenancy");
    for choice in choices {
        assert_eq!(choice["access"]["gate_code"], Value::Null, "{choice}");
        assert_eq!(choice["access"]["lockbox_code"], Value::Null, "{choice}");
    }
    let detail = app.invoke::<commands::GetWorkOrder>(json!({ "id": estimated.0 })).await?;
    let detail = answer(&detail)?;
    assert_eq!((&detail["estimate_minor"], &detail["approved_minor"]), (&Value::Null, &Value::Null), "no money");

    // A NUL in a message is refused by its field and nothing is stored.
    let (before,): (i64,) = Sql::new("SELECT count(*) FROM messages").fetch_one(&store).await?;
    let refused = app
        .invoke::<commands::PostMessage>(
            json!({ "request": { "id": estimated.0, "body": "Hello\u{0}", "internal": false } }),
        )
        .await?;
    assert_eq!(refused["err"]["code"], "validation", "{refused}");
    assert_eq!(refused["err"]["field"], "body", "{refused}");
    let (after,): (i64,) = Sql::new("SELECT count(*) FROM messages").fetch_one(&store).await?;
    assert_eq!(after, before);
    app.finish().await
}
