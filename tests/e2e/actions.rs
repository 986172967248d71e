//! Steps taken from the detail screen, and how refusals and conflicts look.

use crate::harness::App;
use anyhow::{Context, Result};
use chrono::Utc;
use plumbline_domain::api::{ActOnWorkOrder, ListWorkOrders, Step, WorkOrderFilter, WorkOrderRow};
use plumbline_domain::commands;
use plumbline_domain::{Priority, State};
use plumbline_service::db::Sql;
use plumbline_service::{Store, users, work_orders};

async fn newest_in(store: &Store, state: State) -> Result<WorkOrderRow> {
    let staff = users::first_staff(store).await?;
    let filter = WorkOrderFilter { states: vec![state], ..WorkOrderFilter::default() };
    let request = ListWorkOrders { filter, sort: Default::default(), after: None, limit: 1 };
    work_orders::list(store, staff, Utc::now(), &request).await?.rows.into_iter().next().context("no such order")
}

async fn open_order(app: &App, state: State, reference: &str) -> Result<()> {
    app.go_to("Work orders").await?;
    app.wait_for(&format!("[data-testid=filter-state] option[value={}]", state.as_str())).await?.click().await?;
    app.row(&reference).await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    Ok(())
}

async fn stored_state(store: &Store, row: &WorkOrderRow) -> Result<(String, Option<i64>)> {
    Ok(Sql::new("SELECT state, contractor_id FROM work_orders WHERE id = ?").bind(row.id.0).fetch_one(store).await?)
}

#[tokio::test]
async fn staff_assign_a_contractor_from_the_detail_screen() -> Result<()> {
    let app = App::launch("assign").await?;
    let store = app.store().await?;
    let order = newest_in(&store, State::New).await?;
    open_order(&app, State::New, &order.reference.to_string()).await?;

    app.wait_for("button[data-action=Assign]").await?.click().await?;
    // The best suggestion is listed first after the placeholder.
    let choice = app.wait_for("select[data-field=contractor] option:not([value='']):not([disabled])").await?;
    let contractor: i64 = choice.attr("value").await?.context("option value")?.parse()?;
    choice.click().await?;
    app.wait_for("[data-testid=confirm]").await?.click().await?;

    app.wait_for_text(".badges .badge", |t| t == "Assigned").await?;
    let me = users::current(&store, users::first_staff(&store).await?).await?.name;
    let timeline = app.text("[data-testid=timeline]").await?;
    assert!(timeline.contains(&format!("Assign contractor by {me}")), "{timeline}");
    assert_eq!(stored_state(&store, &order).await?, ("Assigned".to_owned(), Some(contractor)));
    app.finish().await
}

#[tokio::test]
async fn an_edit_made_elsewhere_while_a_form_is_open_is_shown_before_the_step_is_sent() -> Result<()> {
    let app = App::launch("changed-meanwhile").await?;
    let store = app.store().await?;
    let order = newest_in(&store, State::New).await?;
    open_order(&app, State::New, &order.reference.to_string()).await?;
    app.wait_for("button[data-action=Cancel]").await?.click().await?;
    app.wait_for("textarea[data-field=note]").await?.send_keys("Duplicate request").await?;

    // A colleague raises the priority while the form is open.
    let colleague = users::first_staff(&store).await?;
    let detail = work_orders::detail(&store, colleague, Utc::now(), order.id).await?;
    let raise =
        Step::SetPriority { priority: Priority::Emergency, reason: "Tenant rang: water through ceiling".into() };
    work_orders::act(
        &store,
        colleague,
        Utc::now(),
        &ActOnWorkOrder { id: order.id, version: detail.version, step: raise },
    )
    .await?;

    // The page follows it, and the form says what changed before anything is sent.
    let notice = app.wait_for_text("[data-testid=changed-meanwhile]", |t| t.contains("water through ceiling")).await?;
    let colleague_name = users::current(&store, colleague).await?.name;
    assert!(notice.contains(&format!("Set priority by {colleague_name}")), "{notice}");
    app.wait_for_text(".detail-head .priority", |t| t == "Emergency").await?;
    app.save_screen("changed-meanwhile-form").await?;
    app.wait_for("[data-testid=confirm]").await?.click().await?;
    assert_eq!(stored_state(&store, &order).await?.0, "New", "the first confirm only acknowledges");
    app.wait_for_text("[data-testid=confirm]", |t| t == "Cancel order").await?;
    app.wait_for("[data-testid=confirm]").await?.click().await?;
    app.wait_for_text(".badges .badge", |t| t == "Cancelled").await?;
    assert_eq!(stored_state(&store, &order).await?.0, "Cancelled");
    app.finish().await
}

#[tokio::test]
async fn a_step_the_graph_forbids_is_refused_with_the_cores_message() -> Result<()> {
    let app = App::launch("refused").await?;
    let store = app.store().await?;
    let order = newest_in(&store, State::New).await?;
    let detail = work_orders::detail(&store, users::first_staff(&store).await?, Utc::now(), order.id).await?;
    // The screen never offers Close on a New order; a script calling the command directly is refused.
    let request = serde_json::json!({ "request": { "id": order.id.0, "version": detail.version,
        "step": { "action": "Close", "note": "" } } });
    let answer = app.invoke::<commands::ActOnWorkOrder>(request).await?;
    assert_eq!(answer["err"]["code"], "invalid_transition", "{answer}");
    assert_eq!(answer["err"]["message"], "Cannot close an order that is New");
    assert_eq!(stored_state(&store, &order).await?.0, "New");
    app.finish().await
}
