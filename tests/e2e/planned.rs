//! Planned maintenance from its screens: staff see the agency's schedules on Planned
//! work, open a property, add a yearly gas safety check whose first visit is within its
//! lead (its order is raised at once, marked as planned), and pause it; on this computer
//! and through an agency server alike.

use crate::agency_server::{connect, email_of};
use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use chrono::{Duration, Local};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::{Store, users};
use plumbline_test_support::TestServer;

async fn plans_a_gas_safety_check(app: &App, store: &Store, screens: &str) -> Result<()> {
    app.go_to("Planned work").await?;
    // The demo's own schedules, soonest first, each naming its property.
    let first = app.wait_for_text("table.schedules tbody tr", |t| t.contains("Annual boiler service")).await?;
    assert!(first.contains("Every year from") && first.contains("order raised"), "{first}");
    app.save_screen(&format!("planned-work{screens}")).await?;

    app.wait_for("table.schedules tbody tr .link-button").await?.click().await?;
    app.wait_for("#planned-maintenance table.schedules").await?;
    let property: String = app.text("[data-testid=property-name]").await?;
    app.wait_for("#add-schedule").await?.click().await?;
    // Sent empty: each missing part is named beside its field, and nothing is stored.
    app.wait_for("#save-schedule").await?.click().await?;
    app.wait_for_text("#schedule-kind ~ .field-error", |t| t == "Choose the kind of work").await?;
    let form = app.text(".schedule-form").await?;
    assert!(form.contains("Enter the first day it is due"), "{form}");
    let schedules = || Sql::new("SELECT count(*) FROM maintenance_schedules");
    let (before,): (i64,) = schedules().fetch_one(store).await?;

    let (unit, unit_label, boiler): (i64, String, i64) = Sql::new(
        "SELECT u.id, u.label, (SELECT id FROM categories WHERE name = 'Boiler' AND parent_id IS NOT NULL)
         FROM units u JOIN properties p ON p.id = u.property_id WHERE p.name = ? ORDER BY u.id LIMIT 1",
    )
    .bind(&property)
    .fetch_one(store)
    .await?;
    app.wait_for("#schedule-title").await?.send_keys("Gas safety check").await?;
    app.wait_for(&format!("#schedule-unit option[value='{unit}']")).await?.click().await?;
    app.wait_for(&format!("#schedule-kind option[value='{boiler}']")).await?.click().await?;
    app.wait_for("#schedule-description").await?.send_keys("Check every gas appliance; issue the CP12.").await?;
    let first_due = (Local::now() + Duration::days(5)).date_naive();
    app.set_value("#schedule-first", &first_due.format("%d/%m/%Y").to_string()).await?;
    app.save_screen(&format!("planned-form{screens}")).await?;
    app.wait_for("#save-schedule").await?.click().await?;

    // Due in five days with a 14-day lead: its order is raised as it is saved.
    let row = "#planned-maintenance tr[data-schedule='Gas safety check']";
    let text = app.wait_for_text(row, |t| t.contains("Running")).await?;
    assert!(text.contains(&unit_label) && text.contains("Every year from"), "{text}");
    let (after,): (i64,) = schedules().fetch_one(store).await?;
    assert_eq!(after, before + 1);
    let (order, planned_for): (i64, String) = Sql::new(
        "SELECT w.id, w.planned_for FROM work_orders w JOIN maintenance_schedules s ON s.id = w.schedule_id
         WHERE s.title = 'Gas safety check'",
    )
    .fetch_one(store)
    .await
    .context("the order raised")?;
    assert_eq!(planned_for, first_due.to_string());

    app.wait_for(&format!("{row} [data-testid=schedule-history]")).await?.click().await?;
    let history = app.wait_for_text(".schedule-detail", |t| t.contains("Raised PL-")).await?;
    assert!(history.contains("Schedule made: Every year from"), "{history}");
    app.save_screen(&format!("planned-property{screens}")).await?;
    app.wait_for(".schedule-detail .link-button").await?.click().await?;
    let mark = app.wait_for_text("[data-testid=planned]", |t| t.contains("Gas safety check")).await?;
    assert!(mark.contains(&format!("due {}", first_due.format("%-d %b %Y"))), "{mark}");
    let reference = app.wait_for("[data-testid=detail]").await?.attr("data-reference").await?;
    assert_eq!(
        reference.as_deref(),
        Some(plumbline_domain::Reference::of(plumbline_domain::WorkOrderId(order)).to_string().as_str())
    );
    app.save_screen(&format!("planned-order{screens}")).await?;

    // Paused from the agency's list: it raises nothing until resumed.
    app.go_to("Planned work").await?;
    let listed = "table.schedules tr[data-schedule='Gas safety check']";
    app.wait_for(&format!("{listed} [data-testid=pause-schedule]")).await?.click().await?;
    app.wait_for_text(listed, |t| t.contains("Paused")).await?;
    let (paused,): (bool,) =
        Sql::new("SELECT paused_at IS NOT NULL FROM maintenance_schedules WHERE title = 'Gas safety check'")
            .fetch_one(store)
            .await?;
    assert!(paused);
    Ok(())
}

#[tokio::test]
async fn on_this_computer_staff_plan_recurring_work_and_its_order_is_raised_ahead() -> Result<()> {
    let app = App::launch("planned").await?;
    plans_a_gas_safety_check(&app, &app.store().await?, "").await?;
    app.finish().await
}

#[tokio::test]
async fn on_an_agency_server_staff_plan_recurring_work_and_its_order_is_raised_ahead() -> Result<()> {
    let served = TestServer::demo().await;
    let app = App::start("planned-server", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    let staff = users::first_staff(served.store()).await?;
    app.sign_in(&email_of(served.store(), staff.user_id).await?, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-testid=workload]").await?;
    plans_a_gas_safety_check(&app, served.store(), "-server").await?;
    app.finish().await
}
