//! Search from the palette (#19), on this computer and on an agency server: a name typed
//! with a slip and the start of a word from the description find the order, the
//! matches are marked, the reading of the slip is said, and Enter opens the order.

use crate::agency_server::{connect, email_of};
use crate::attachments::save_through_dialog;
use crate::harness::{App, Launch};
use crate::work_orders::count_line;
use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::key::Key;
use plumbline_domain::api::{ListWorkOrders, Search, WorkOrderFilter, WorkOrderPage};
use plumbline_domain::{Reference, WorkOrderId};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::{Store, search, users, work_orders};
use plumbline_test_support::TestServer;

fn ctrl(key: &str) -> String {
    format!("{}{key}{}", &*Key::Control, &*Key::Null)
}

/// What a manager might type for the newest order with a tenant: the tenant's surname
/// with two letters swapped, and the first four letters of the description's longest
/// word. Returns the text and the misspelt surname's true spelling.
async fn typed_for_an_order(store: &Store) -> Result<(String, String)> {
    let (name, description): (String, String) = Sql::new(
        "SELECT t.name, w.description FROM work_orders w JOIN users t ON t.id = w.tenant_id ORDER BY w.id DESC LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    let surname = name.split_whitespace().last().context("a surname")?.to_lowercase();
    let mut letters: Vec<char> = surname.chars().collect();
    letters.swap(1, 2);
    let slipped: String = letters.into_iter().collect();
    let word = description.split(|c: char| !c.is_alphabetic()).max_by_key(|w| w.len()).context("a word")?;
    Ok((format!("{slipped} {}", &word[..4.min(word.len())]), surname))
}

/// Types `text` into the palette, checks what it shows against the service's own answer,
/// and opens the first order with Enter.
async fn find_and_open(app: &App, store: &Store, screen: &str) -> Result<WorkOrderId> {
    let (text, surname) = typed_for_an_order(store).await?;
    let staff = users::first_staff(store).await?;
    let expected = search::search(store, staff, &Search { text: text.clone(), limit: 5 }).await?;
    let first = expected.orders.first().context("the service finds an order")?;
    assert!(expected.corrected.iter().any(|c| c.read_as == surname), "{expected:#?}");

    app.press(&ctrl("k")).await?;
    app.wait_for("[data-testid=palette-input]").await?;
    app.press(&text).await?;
    let reference = Reference::of(first.id).to_string();
    // The label's own text: WebKitWebDriver's element text is empty for text that may be
    // cut with an ellipsis (`text-overflow`), as the palette's lines and notices are.
    let label = "document.querySelector('.palette-item.selected .palette-label')?.textContent ?? ''";
    wait_until(app, label, |t| t.starts_with(&reference)).await?;
    let note = app.text("[data-testid=palette-corrected]").await?;
    assert!(note.contains(&surname), "the reading of the slip is said: {note}");
    let shown = app.find_all("[data-testid=palette-item]").await?;
    assert!(shown.len() >= expected.orders.len(), "every order found is listed");
    let marked = app.find_all(".palette-item mark").await?;
    assert!(!marked.is_empty(), "the matches are marked");
    app.save_screen(screen).await?;
    app.press(&Key::Enter).await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    Ok(first.id)
}

/// Waits until the JavaScript `expression`'s text satisfies `check`; that text.
pub(crate) async fn wait_until(app: &App, expression: &str, check: impl Fn(&str) -> bool) -> Result<String> {
    for _ in 0..100 {
        let value = app.eval(expression).await?;
        let text = value.as_str().unwrap_or_default();
        if check(text) {
            return Ok(text.to_owned());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("{expression} never read as expected: {}", app.eval(expression).await?)
}

#[tokio::test]
async fn on_this_computer_the_palette_finds_an_order_from_a_misspelt_name() -> Result<()> {
    let app = App::launch("search").await?;
    let store = app.store().await?;
    let found = find_and_open(&app, &store, "palette-search").await?;
    the_list_finds_it_by_the_same_words(&app, &store, found).await?;
    app.finish().await
}

/// The list's search box, typed into: the rows and count the service gives, the order among them.
async fn the_list_finds_it_by_the_same_words(app: &App, store: &Store, found: WorkOrderId) -> Result<()> {
    let (text, _) = typed_for_an_order(store).await?;
    let staff = users::first_staff(store).await?;
    let filter = WorkOrderFilter { text: Some(text.clone()), ..WorkOrderFilter::default() };
    let request = ListWorkOrders { filter, sort: Default::default(), after: None, limit: 100 };
    let page = work_orders::list(store, staff, Utc::now(), &request).await?;
    assert!(page.rows.iter().any(|row| row.id == found));
    app.go_to("Work orders").await?;
    app.wait_for("[data-testid=filter-text]").await?.send_keys(&text).await?;
    app.wait_for_text("[data-testid=list-count]", |t| t == count_line(&page)).await?;
    app.row(Reference::of(found)).await?;
    let read_as = page.corrected.first().context("the slip is read as the surname")?.read_as.clone();
    let said = "document.querySelector('[data-testid=list-corrected]')?.textContent ?? ''";
    wait_until(app, said, |t| t == format!("Showing results for {read_as}")).await?;
    app.save_screen("list-search").await?;
    exports_what_it_shows(app, &page).await
}

/// "Export CSV" through the native save dialog: the file holds the list's rows, as
/// a CSV parser reads them.
async fn exports_what_it_shows(app: &App, page: &WorkOrderPage) -> Result<()> {
    let (_folder, file) =
        save_through_dialog(app, "[data-testid=export-csv]", "^Export work orders", "found.csv").await?;
    let mut reader = csv::Reader::from_path(&file)?;
    assert_eq!(reader.headers()?.get(0), Some("Reference"));
    let references: Vec<String> =
        reader.records().map(|r| Ok(r?.get(0).unwrap_or_default().to_owned())).collect::<Result<_>>()?;
    let listed: Vec<String> = page.rows.iter().map(|row| row.reference.to_string()).collect();
    assert_eq!(references, listed, "the list's rows in its order");
    Ok(())
}

#[tokio::test]
async fn on_an_agency_server_the_palette_finds_an_order_from_a_misspelt_name() -> Result<()> {
    let served = TestServer::demo().await;
    // In the dark theme, so both themes' palettes are photographed.
    let dark = [("GTK_THEME", "Adwaita:dark")];
    let app = App::start("search-server", Launch { real_store: true, env: &dark, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    let staff = users::first_staff(served.store()).await?;
    app.sign_in(&email_of(served.store(), staff.user_id).await?, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-testid=workload]").await?;
    find_and_open(&app, served.store(), "palette-search-server-dark").await?;
    app.finish().await
}
