use crate::harness::App;
use anyhow::{Context, Result};
use chrono::Utc;
use plumbline_domain::api::{ListWorkOrders, WorkOrderFilter};
use plumbline_domain::commands;
use plumbline_domain::{State, WorkOrderId};
use plumbline_service::{Store, users, work_orders};

/// What the list's count line says for a first page.
pub fn count_line(page: &plumbline_domain::api::WorkOrderPage) -> String {
    format!("Showing 1–{} of {} orders", page.rows.len(), page.total.unwrap_or_default())
}

async fn first_page(store: &Store, states: Vec<State>) -> Result<plumbline_domain::api::WorkOrderPage> {
    let staff = users::first_staff(store).await?;
    let filter = WorkOrderFilter { states, ..WorkOrderFilter::default() };
    let request = ListWorkOrders { filter, sort: Default::default(), after: None, limit: 100 };
    Ok(work_orders::list(store, staff, Utc::now(), &request).await?)
}

#[tokio::test]
async fn the_list_shows_the_stores_newest_orders() -> Result<()> {
    let app = App::launch("list").await?;
    assert_eq!(app.client.title().await?, "Plumbline");
    let store = app.store().await?;
    let expected = first_page(&store, vec![]).await?;

    app.go_to("Work orders").await?;
    let count = app.wait_for_text("[data-testid=list-count]", |t| t.starts_with("Showing")).await?;
    assert_eq!(count, count_line(&expected));
    let table = app.wait_for("[data-testid=work-orders]").await?;
    assert_eq!(
        table.attr("aria-rowcount").await?,
        Some((expected.rows.len() + 1).to_string()),
        "the header and a page"
    );
    // Only the rows near the viewport are built, in the store's order from the first.
    let rows = app.find_all("tr.order-row").await?;
    assert!(rows.len() < expected.rows.len() / 2, "{} of {} rows built", rows.len(), expected.rows.len());
    for (row, order) in rows.iter().zip(&expected.rows) {
        assert_eq!(row.attr("data-reference").await?, Some(order.reference.to_string()));
    }
    // Scrolled to the end, the page's last row is there, numbered as the page's last.
    app.eval("document.querySelector('.content').scrollTop = 1e9").await?;
    let last = expected.rows.last().context("a page of orders")?;
    let at_end =
        format!("tr.order-row[aria-rowindex='{}'][data-reference='{}']", expected.rows.len() + 1, last.reference);
    app.wait_for(&at_end).await?;
    assert!(app.find_all(&format!("tr.order-row[data-reference='{}']", expected.rows[0].reference)).await?.is_empty());
    let who = app.text(".who-name").await?;
    let staff = users::first_staff(&store).await?;
    assert_eq!(who, users::current(&store, staff).await?.name, "the signed-in staff member, as stored");
    app.finish().await
}

#[tokio::test]
async fn clicking_a_row_opens_its_detail_with_the_stored_history() -> Result<()> {
    let app = App::launch("detail").await?;
    let store = app.store().await?;
    let closed = first_page(&store, vec![State::Closed]).await?;
    let target = closed.rows.first().context("the demo has closed orders")?;

    // Reach it through the UI: filter to Closed, then click its row.
    app.go_to("Work orders").await?;
    app.wait_for("[data-testid=filter-state] option[value=Closed]").await?.click().await?;
    let reference = target.reference.to_string();
    app.row(&reference).await?.click().await?;

    let header = app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    assert!(header.text().await?.contains(&format!("{} – {}", target.category, target.subcategory)));
    let staff = users::first_staff(&store).await?;
    let stored = work_orders::detail(&store, staff, Utc::now(), target.id).await?;
    assert_eq!(app.text("[data-testid=description]").await?, stored.description);
    let entries = app.find_all("[data-testid=timeline] li").await?;
    assert_eq!(entries.len(), stored.timeline.len());
    assert!(app.text("[data-testid=timeline]").await?.contains("Submitted by"));
    app.finish().await
}

#[tokio::test]
async fn filtering_by_state_shows_only_that_state() -> Result<()> {
    let app = App::launch("filter").await?;
    let store = app.store().await?;
    let expected = first_page(&store, vec![State::InProgress]).await?;
    app.go_to("Work orders").await?;
    app.wait_for("[data-testid=filter-state] option[value=InProgress]").await?.click().await?;
    let count = count_line(&expected);
    app.wait_for_text("[data-testid=list-count]", |t| t == count).await?;
    for badge in app.find_all("tr.order-row .badge").await? {
        assert_eq!(badge.text().await?, "In progress");
    }
    // Days are typed day first, as a UK agency writes them: 1 January 2099 opens nothing.
    let from = app.wait_for("[data-testid=filter-opened-from]").await?;
    assert_eq!(from.attr("placeholder").await?.as_deref(), Some("dd/mm/yyyy"));
    from.send_keys(&format!("1/1/2099{}", &*fantoccini::key::Key::Tab)).await?;
    app.wait_for_text("[data-testid=list-count]", |t| t == "No orders").await?;
    assert_eq!(app.eval("document.querySelector('[data-testid=filter-opened-from]').value").await?, "01/01/2099");
    app.finish().await
}

#[tokio::test]
async fn a_missing_order_is_refused_with_a_typed_error() -> Result<()> {
    let app = App::launch("ipc-error").await?;
    let answer = app.invoke::<commands::GetWorkOrder>(serde_json::json!({ "id": WorkOrderId(987_654).0 })).await?;
    assert_eq!(answer["err"]["code"], "not_found", "{answer}");
    assert_eq!(answer["err"]["message"], "Work order PL-987654 was not found");
    let answer = app.invoke::<commands::ListWorkOrders>(serde_json::json!({ "request": { "limit": 0 } })).await?;
    assert_eq!(answer["err"]["code"], "validation", "{answer}");
    assert_eq!(answer["err"]["field"], "limit");
    app.finish().await
}

#[tokio::test]
async fn the_window_follows_a_dark_desktop_theme() -> Result<()> {
    let app = App::launch_with("dashboard-dark", &[("GTK_THEME", "Adwaita:dark")]).await?;
    let background =
        app.client.execute("return getComputedStyle(document.documentElement).backgroundColor", vec![]).await?;
    let (dark, light) =
        (app.palette_colour(r#":root[data-theme="dark"]"#, "--bg").await?, app.palette_colour(":root", "--bg").await?);
    assert_ne!(dark, light, "the palettes differ");
    assert_eq!(background, dark.as_str(), "the dark palette's --bg");
    app.finish().await
}
