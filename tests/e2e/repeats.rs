//! Repeat faults (#19) on screen: triage marks a request whose unit had the same kind of
//! fault in the last six months, and its order page lists the earlier ones as links.

use crate::harness::App;
use anyhow::{Context, Result};
use chrono::{Duration, Utc};
use fantoccini::key::Key;
use plumbline_domain::api::SubmitRequest;
use plumbline_domain::ids::{CategoryId, TenancyId};
use plumbline_domain::{Actor, Reference, Role, Severity, UserId};
use plumbline_service::db::Sql;
use plumbline_service::{users, work_orders};

#[tokio::test]
async fn triage_marks_a_repeat_fault_and_its_order_links_the_earlier_one() -> Result<()> {
    let app = App::launch("repeats").await?;
    let store = app.store().await?;
    let (tenancy, tenant, subcategory): (i64, i64, i64) = Sql::new(
        "SELECT t.id, t.tenant_id, (SELECT id FROM categories WHERE name = 'Blocked drain')
         FROM tenancies t WHERE t.ended_on IS NULL ORDER BY t.id LIMIT 1",
    )
    .fetch_one(&store)
    .await?;
    let tenant = Actor { user_id: UserId(tenant), role: Role::Tenant };
    let request = |description: &str| SubmitRequest {
        tenancy: TenancyId(tenancy),
        subcategory: CategoryId(subcategory),
        severity: Severity::Routine,
        description: description.into(),
        access: None,
    };
    let earlier =
        work_orders::submit(&store, tenant, Utc::now() - Duration::days(40), &request("Sink drains slowly")).await?.id;
    let again = work_orders::submit(&store, tenant, Utc::now(), &request("Sink blocked again")).await?.id;
    let staff = users::first_staff(&store).await?;
    let expected = work_orders::detail(&store, staff, Utc::now(), again).await?.repeat.context("a repeat")?;

    app.press("gt").await?;
    let queue = work_orders::triage_queue(&store, staff, Utc::now()).await?;
    let position = queue.items.iter().position(|item| item.row.id == again).context("in the queue")?;
    // The queue on screen first: a key pressed while it loads moves no selection.
    let count = format!("{} new orders", queue.total);
    app.wait_for_text("[data-testid=triage-count]", |t| t.starts_with(&count)).await?;
    app.wait_for("[data-testid=triage] tr.order-row.selected").await?;
    app.press(&"j".repeat(position)).await?;
    let row = format!("tr.order-row.selected[data-reference='{}']", Reference::of(again));
    let mark = app.wait_for(&format!("{row} [data-testid=repeat]")).await?;
    let nth = plumbline_domain::repeat::ordinal(expected.earlier.len() + 1);
    let shown = app.eval(&format!("document.querySelector(\"{row} [data-testid=repeat]\").textContent")).await?;
    assert_eq!(shown.as_str(), Some(format!("↻ {nth} in 6 months").as_str()));
    assert_eq!(mark.attr("title").await?.as_deref(), Some(expected.headline.as_str()));

    app.press(&Key::Enter).await?;
    let card = app.wait_for_text("[data-testid=repeat-fault]", |t| t.contains(&expected.headline)).await?;
    assert!(card.contains(&Reference::of(earlier).to_string()), "{card}");
    app.save_screen("repeat-fault").await?;
    let link = format!("[data-testid=repeat-fault] button[title='Open {}']", Reference::of(earlier));
    app.wait_for(&link).await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{}']", Reference::of(earlier))).await?;
    app.finish().await
}
