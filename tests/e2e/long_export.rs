//! A long export as a person sees it: the list's CSV at agency scale counts the orders
//! it has read, and stops when cancelled, saving nothing; on this computer and through an
//! agency server alike.

use crate::agency_server::{connect, email_of};
use crate::attachments::{save_through_dialog, start_saving_through_dialog, wait_for_export_said};
use crate::harness::{App, Launch};
use anyhow::Result;
use plumbline_domain::numbers::thousands;
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::{Store, seed, users};
use plumbline_test_support::TestServer;

/// Every column of an order but its id.
const ORDER_COLUMNS: &str = "unit_id, property_id, tenancy_id, tenant_id, raised_by, category_id, subcategory_id,
    severity, priority, priority_rank, triage_reason, description, gate_code, lockbox_code, pets, best_contact,
    preferred_times, state, contractor_id, estimate_minor, approved_minor, invoice_minor, appointment_start,
    appointment_end, opened_at, respond_by, resolve_by, responded_at, completed_at, closed_at, rating,
    rating_comment, version, updated_at, sla_alerted, reminded_for, offered_at, accepted_at, started_at, sent_back";

/// Grows the demo agency's history to tens of thousands of orders (copies of its closed
/// ones, indexed for search once rather than row by row), so that the list's export
/// reads a hundred pages or more.
async fn years_of_closed_orders(store: &Store) -> Result<i64> {
    let mut tx = store.write().await?;
    seed::index_orders_per_write(&mut tx, false).await?;
    Sql::new(format!(
        "WITH RECURSIVE copies (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies WHERE n < 250)
         INSERT INTO work_orders ({ORDER_COLUMNS})
         SELECT {ORDER_COLUMNS} FROM work_orders, copies WHERE state = 'Closed'"
    ))
    .execute(&mut tx)
    .await?;
    seed::index_orders_per_write(&mut tx, true).await?;
    tx.commit().await?;
    let (orders,): (i64,) = Sql::new("SELECT count(*) FROM work_orders").fetch_one(store).await?;
    Ok(orders)
}

/// Has the page note each progress line it shows (`window.exportSeen`), and with
/// `cancel`, click Cancel as soon as the first appears: at a hundred pages a second a
/// poll from the test would come too late.
fn watch_progress(cancel: bool) -> String {
    format!(
        "(() => {{
          window.exportSeen = [];
          let cancelled = !{cancel};
          new MutationObserver(() => {{
            const progress = document.querySelector('[data-testid=export-progress]');
            if (!progress || !progress.textContent.startsWith('Read ')) return;
            window.exportSeen.push(progress.textContent);
            if (!cancelled) {{ cancelled = true; document.querySelector('[data-testid=export-cancel]').click(); }}
          }}).observe(document.body, {{ subtree: true, childList: true, characterData: true }});
          return true;
        }})()"
    )
}

async fn progress_seen(app: &App) -> Result<Vec<String>> {
    Ok(serde_json::from_value(app.eval("window.exportSeen").await?)?)
}

/// Exports every order, cancelling as soon as the count shows: nothing is saved and the
/// count stopped part-way. Then exports them all: the count reaches every order, and the
/// file holds them.
async fn cancels_then_saves_the_whole_list(app: &App, orders: i64) -> Result<()> {
    let all = thousands(orders);
    let (of_all, last) = (format!(" of {all} orders…"), format!("Read {all} of {all} orders…"));
    app.go_to("Work orders").await?;
    app.wait_for_text("[data-testid=list-count]", |t| t.ends_with(&format!("of {all} orders"))).await?;

    app.eval(&watch_progress(true)).await?;
    let (_folder, file) =
        start_saving_through_dialog(app, "[data-testid=export-csv]", "^Export work orders", "cancelled.csv").await?;
    assert_eq!(wait_for_export_said(app, "[data-testid=export-csv]").await?, "Cancelled: nothing was saved");
    assert!(!file.exists(), "a cancelled export wrote {}", file.display());
    let seen = progress_seen(app).await?;
    assert!(seen.first().is_some_and(|line| line.ends_with(&of_all)), "the count shows: {seen:?}");
    assert!(!seen.contains(&last), "the count went on to the end: {seen:?}");

    app.eval(&watch_progress(false)).await?;
    let (_folder, file) =
        save_through_dialog(app, "[data-testid=export-csv]", "^Export work orders", "all.csv").await?;
    let seen = progress_seen(app).await?;
    assert!(seen.contains(&last), "the count reaches every order: {:?}", seen.last());
    assert_eq!(csv::Reader::from_path(&file)?.records().count(), usize::try_from(orders)?);
    Ok(())
}

#[tokio::test]
async fn on_this_computer_a_long_export_tells_its_progress_and_a_cancel_saves_nothing() -> Result<()> {
    let app = App::launch("long-export").await?;
    let orders = years_of_closed_orders(&app.store().await?).await?;
    cancels_then_saves_the_whole_list(&app, orders).await?;
    app.finish().await
}

#[tokio::test]
async fn on_an_agency_server_a_long_export_tells_its_progress_and_a_cancel_saves_nothing() -> Result<()> {
    let served = TestServer::demo().await;
    let orders = years_of_closed_orders(served.store()).await?;
    let app = App::start("long-export-server", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    let staff = users::first_staff(served.store()).await?;
    app.sign_in(&email_of(served.store(), staff.user_id).await?, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-testid=workload]").await?;
    cancels_then_saves_the_whole_list(&app, orders).await?;
    app.finish().await
}
