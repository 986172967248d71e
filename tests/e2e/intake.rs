//! A request taken on a tenant's behalf over the phone, from the "New request" screen.

use crate::harness::App;
use anyhow::{Context, Result};
use fantoccini::key::Key;
use plumbline_domain::Reference;
use plumbline_domain::api::MAX_DESCRIPTION_CHARS;
use plumbline_domain::commands;
use plumbline_service::Store;
use plumbline_service::db::Sql;

/// A demo tenancy with a gate code, so the pre-filled codes can be checked.
#[derive(sqlx::FromRow)]
struct Tenancy {
    id: i64,
    tenant: String,
    gate_code: Option<String>,
    lockbox_code: Option<String>,
    pets: String,
    best_contact: String,
    preferred_times: String,
}

async fn tenancy_with_gate_code(store: &Store) -> Result<Tenancy> {
    Ok(Sql::new(
        "SELECT t.id, u.name AS tenant, t.gate_code, t.lockbox_code, t.pets, t.best_contact, t.preferred_times
         FROM tenancies t JOIN users u ON u.id = t.tenant_id WHERE t.gate_code IS NOT NULL ORDER BY t.id LIMIT 1",
    )
    .fetch_one(store)
    .await?)
}

async fn subcategory_id(store: &Store, category: &str, name: &str) -> Result<(i64, i64, String)> {
    Ok(Sql::new(
        "SELECT c.id, s.id, c.troubleshooting FROM categories s JOIN categories c ON c.id = s.parent_id
         WHERE c.name = ? AND s.name = ?",
    )
    .bind(category)
    .bind(name)
    .fetch_one(store)
    .await?)
}

async fn order_count(store: &Store) -> Result<i64> {
    Ok(Sql::new("SELECT count(*) FROM work_orders").fetch_one::<(i64,)>(store).await?.0)
}

async fn value_of(app: &App, css: &str) -> Result<String> {
    Ok(app.wait_for(css).await?.prop("value").await?.unwrap_or_default())
}

/// "Olivia Smith" → "olivia smi": the first name and part of the surname, as typed.
fn typed_part_of(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or_default();
    let surname: String = words.last().unwrap_or_default().chars().take(3).collect();
    format!("{first} {surname}").to_lowercase()
}

async fn choose_category(app: &App, category: i64, subcategory: i64) -> Result<()> {
    app.wait_for(&format!("#category option[value='{category}']")).await?.click().await?;
    app.wait_for(&format!("#subcategory option[value='{subcategory}']")).await?.click().await?;
    Ok(())
}

#[tokio::test]
async fn staff_raise_a_request_for_a_tenant_on_the_phone() -> Result<()> {
    let app = App::launch("intake").await?;
    let store = app.store().await?;
    let tenancy = tenancy_with_gate_code(&store).await?;
    let (heating, radiators, tips) = subcategory_id(&store, "HVAC / Heating", "Radiators").await?;
    app.go_to("New request").await?;

    // Type part of the name, then pick the tenancy with the keyboard.
    let search = app.wait_for("#tenancy-search").await?;
    search.send_keys(&typed_part_of(&tenancy.tenant)).await?;
    app.wait_for(&format!("#tenancy-matches li[data-tenancy='{}']", tenancy.id)).await?;
    app.save_screen("intake-typeahead").await?;
    let matches = app.find_all("#tenancy-matches li").await?;
    let mut position = 0;
    for (i, item) in matches.iter().enumerate() {
        if item.attr("data-tenancy").await?.as_deref() == Some(&tenancy.id.to_string()) {
            position = i;
        }
    }
    // ↓ then ↑ is back on the first match; then down to the tenancy and Enter.
    let keys = format!("{}{}{}{}", &*Key::Down, &*Key::Up, Key::Down.repeat(position), &*Key::Enter);
    search.send_keys(&keys).await?;
    let card = app.wait_for(&format!("[data-testid=chosen-tenancy][data-tenancy='{}']", tenancy.id)).await?;
    assert!(card.text().await?.contains(&tenancy.tenant));

    // The access instructions come from the tenancy.
    assert_eq!(value_of(&app, "#gate-code").await?, tenancy.gate_code.clone().unwrap_or_default());
    assert_eq!(value_of(&app, "#lockbox-code").await?, tenancy.lockbox_code.clone().unwrap_or_default());
    assert_eq!(value_of(&app, "#pets").await?, tenancy.pets);
    assert_eq!(value_of(&app, "#best-contact").await?, tenancy.best_contact);
    assert_eq!(value_of(&app, "#preferred-times").await?, tenancy.preferred_times);
    app.wait_for("#preferred-times").await?.send_keys(" (ring first)").await?;

    choose_category(&app, heating, radiators).await?;
    let shown_tips = app.text("#tips").await?;
    assert!(shown_tips.starts_with(&format!("Before you book: {tips}")), "{shown_tips}");
    app.wait_for("label.severity-urgent").await?.click().await?;
    assert!(app.wait_for("#severity-urgent").await?.is_selected().await?);
    let description = "Bedroom radiator cold at the top, bleeding it has not helped";
    app.wait_for("#description").await?.send_keys(description).await?;
    let count = format!("{} / {MAX_DESCRIPTION_CHARS}", description.chars().count());
    app.wait_for_text("#description-count", |t| t == count).await?;
    app.save_screen("intake-form").await?;

    app.wait_for("#submit-request").await?.click().await?;
    let reference = Reference::parse(&app.text("#new-reference").await?)?;
    let stored: (i64, i64, String, String, String, String, Option<String>, String) = Sql::new(
        "SELECT tenancy_id, subcategory_id, severity, description, priority, triage_reason, gate_code, preferred_times
         FROM work_orders WHERE id = ?",
    )
    .bind(reference.id().0)
    .fetch_one(&store)
    .await
    .context("the shown reference is stored")?;
    let expected_times = format!("{} (ring first)", tenancy.preferred_times);
    assert_eq!(
        stored,
        (
            tenancy.id,
            radiators,
            "Urgent".to_owned(),
            description.to_owned(),
            "Urgent".to_owned(),
            "tenant said Urgent".to_owned(),
            tenancy.gate_code.clone(),
            expected_times
        )
    );
    assert_eq!(app.text("#new-priority").await?, stored.4);
    assert_eq!(app.text("#new-triage-reason").await?, stored.5);
    assert!(app.text("[data-testid=respond-by]").await?.starts_with("The agency will respond by "));
    app.save_screen("intake-submitted").await?;

    app.wait_for("#open-new-order").await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    assert_eq!(app.text("[data-testid=description]").await?, description);
    app.finish().await
}

#[tokio::test]
async fn missing_choices_and_an_empty_description_are_named_and_nothing_is_stored() -> Result<()> {
    let app = App::launch_with("intake-errors-dark", &[("GTK_THEME", "Adwaita:dark")]).await?;
    let store = app.store().await?;
    let before = order_count(&store).await?;
    let tenancy = tenancy_with_gate_code(&store).await?;
    let (plumbing, leak, _) = subcategory_id(&store, "Plumbing", "Leak").await?;
    app.go_to("New request").await?;

    // Nothing chosen: every missing choice says what it needs, all at once.
    app.wait_for("#submit-request").await?.click().await?;
    assert_eq!(app.text("#tenancy-error").await?, "Find the tenancy the call is about");
    assert_eq!(app.text("#subcategory-error").await?, "Choose what the problem is");
    assert_eq!(app.text("#severity-error").await?, "Choose how serious the tenant says it is");
    let describe = "Describe the problem: what is wrong, where, and since when";
    assert_eq!(app.text("#description-error").await?, describe);

    // Everything but a description (spaces only): only that is still asked for.
    app.wait_for("#tenancy-search").await?.send_keys(&typed_part_of(&tenancy.tenant)).await?;
    app.wait_for(&format!("#tenancy-matches li[data-tenancy='{}']", tenancy.id)).await?.click().await?;
    app.wait_for("[data-testid=chosen-tenancy]").await?;
    // Each problem goes as soon as it is put right, before the next submit.
    app.wait_for_gone("#tenancy-error").await?;
    choose_category(&app, plumbing, leak).await?;
    app.wait_for_gone("#subcategory-error").await?;
    app.wait_for("label.severity-emergency").await?.click().await?;
    app.wait_for_gone("#severity-error").await?;
    app.wait_for("#description").await?.send_keys("   ").await?;
    app.wait_for("#submit-request").await?.click().await?;
    assert_eq!(app.text("#description-error").await?, describe);
    assert!(app.find_all("#tenancy-error, #subcategory-error, #severity-error").await?.is_empty());
    assert_eq!(order_count(&store).await?, before, "nothing stored");

    // A script calling the search directly gets the same rules.
    let answer = app
        .invoke::<commands::SearchTenancies>(serde_json::json!({ "request": { "query": "x".repeat(101), "limit": 8 } }))
        .await?;
    assert_eq!(answer["err"]["code"], "validation", "{answer}");
    assert_eq!(answer["err"]["field"], "query");
    app.finish().await
}

#[tokio::test]
async fn a_tip_that_fixes_the_problem_ends_the_request_without_raising_anything() -> Result<()> {
    let app = App::launch("intake-tip-fixed-it").await?;
    let store = app.store().await?;
    let before = order_count(&store).await?;
    let tenancy = tenancy_with_gate_code(&store).await?;
    let (heating, radiators, _) = subcategory_id(&store, "HVAC / Heating", "Radiators").await?;
    app.go_to("New request").await?;
    app.wait_for("#tenancy-search").await?.send_keys(&typed_part_of(&tenancy.tenant)).await?;
    app.wait_for(&format!("#tenancy-matches li[data-tenancy='{}']", tenancy.id)).await?.click().await?;
    choose_category(&app, heating, radiators).await?;
    app.wait_for("[data-testid=tip-fixed-it]").await?.click().await?;
    let done = app.text("[data-testid=fixed-by-tip]").await?;
    assert!(done.contains("No repair needed"), "{done}");
    assert_eq!(order_count(&store).await?, before, "nothing raised");
    app.save_screen("intake-tip-fixed-it").await?;
    app.wait_for("#new-request").await?.click().await?;
    app.wait_for("#tenancy-search").await.context("a fresh form for the next call")?;
    app.finish().await
}
