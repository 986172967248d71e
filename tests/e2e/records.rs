//! The agency's records and rules kept from their screens: a property, its unit and a
//! tenancy added and ended, the property archived; a landlord's approval rules; the
//! agency's SLA targets changed, recorded, and applied to new orders only.

use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use chrono::{Duration, Utc};
use plumbline_domain::Role;
use plumbline_domain::commands;
use plumbline_service::db::Sql;
use plumbline_service::users;

#[tokio::test]
async fn staff_add_a_property_let_it_end_the_tenancy_and_archive_it() -> Result<()> {
    let app = App::launch("records-property").await?;
    let store = app.store().await?;
    let (landlord,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'landlord' ORDER BY id LIMIT 1").fetch_one(&store).await?;

    app.go_to("Properties").await?;
    app.wait_for("[data-testid=properties]").await?;
    app.save_screen("properties").await?;
    app.wait_for("#add-property").await?.click().await?;
    // Saved empty: every missing part is named at once, each under its own field.
    app.wait_for("#save-property").await?.click().await?;
    app.wait_for_text(".record-form .field-error", |t| t.contains("street")).await?;
    let named: Vec<String> = {
        let mut texts = Vec::new();
        for error in app.find_all(".record-form .field-error").await? {
            texts.push(error.text().await?);
        }
        texts
    };
    assert_eq!(named, ["Enter the street", "Enter the town or city", "Enter the postcode", "Choose the landlord"]);
    app.wait_for("#property-street").await?.send_keys("7 Wisteria Mews").await?;
    app.wait_for("#property-city").await?.send_keys("Bristol").await?;
    app.wait_for("#property-postcode").await?.send_keys("bs1 5th").await?;
    app.wait_for("#save-property").await?.click().await?;
    app.wait_for_text(".record-form .field-error", |t| t.contains("landlord")).await?;
    app.wait_for(&format!("#property-landlord option[value='{landlord}']")).await?.click().await?;
    app.wait_for("#save-property").await?.click().await?;
    app.wait_for_text("[data-testid=property-name]", |t| t.contains("7 Wisteria Mews")).await?;

    app.wait_for("#add-unit").await?.click().await?;
    app.wait_for("#unit-label").await?.send_keys("Flat A").await?;
    app.wait_for("#save-unit").await?.click().await?;
    app.wait_for("[data-unit='Flat A'] [data-testid=let-unit]").await?.click().await?;
    app.wait_for("#tenant-name").await?.send_keys("Priya Shah").await?;
    app.wait_for("#tenant-email").await?.send_keys("priya@example.test").await?;
    app.wait_for("#tenancy-gate").await?.send_keys("#88").await?;
    app.wait_for("#save-tenancy").await?.click().await?;
    let tenancy = "tr[data-tenant='priya@example.test']";
    app.wait_for_text(tenancy, |t| t.contains("Current") && t.contains("Gate #88")).await?;
    app.save_screen("property").await?;

    // Intake finds the new tenant at once.
    let found = app
        .invoke::<commands::SearchTenancies>(serde_json::json!({ "request": { "query": "Priya", "limit": 5 } }))
        .await?;
    assert_eq!(found["ok"].as_array().map(Vec::len), Some(1), "{found}");

    // She moved out two days ago: no more requests for that home.
    app.wait_for(&format!("{tenancy} [data-testid=edit-tenancy]")).await?.click().await?;
    let day = |ago: i64| (Utc::now() - Duration::days(ago)).date_naive().to_string();
    app.set_value("#edit-tenancy-end", &day(2)).await?;
    app.wait_for("#save-tenancy-changes").await?.click().await?;
    app.wait_for_text("#edit-tenancy-end ~ .field-error", |t| t.contains("before it starts")).await?;
    app.set_value("#edit-tenancy-start", &day(400)).await?;
    app.wait_for("#save-tenancy-changes").await?.click().await?;
    app.wait_for_text(tenancy, |t| t.contains("Ended")).await?;
    let found = app
        .invoke::<commands::SearchTenancies>(serde_json::json!({ "request": { "query": "Priya", "limit": 5 } }))
        .await?;
    assert_eq!(found["ok"].as_array().map(Vec::len), Some(0), "{found}");

    app.wait_for("#archive-property").await?.click().await?;
    app.wait_for_text("[data-testid=property-name]", |t| t.contains("Archived")).await?;
    let (archived,): (bool,) =
        Sql::new("SELECT archived_at IS NOT NULL FROM properties WHERE street = '7 Wisteria Mews'")
            .fetch_one(&store)
            .await?;
    assert!(archived);
    app.finish().await
}

#[tokio::test]
async fn an_admin_changes_sla_targets_and_a_landlords_rules_and_each_change_is_recorded() -> Result<()> {
    let app = App::start("records-settings", Launch::default()).await?;
    let store = app.store().await?;
    let (admin,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(&store).await?;
    app.sign_in_as(plumbline_domain::UserId(admin)).await?;

    app.go_to("Settings").await?;
    // Three mistakes: all three named at once, each beside its field, and nothing saved.
    app.set_value("#currency", "pounds").await?;
    app.set_value("#time-zone", "Mars/Olympus").await?;
    app.set_value("#auto-close-days", "0").await?;
    app.wait_for("#save-settings").await?.click().await?;
    app.wait_for_text("#currency ~ .field-error", |t| t.contains("not a currency code")).await?;
    assert!(app.text("#time-zone ~ .field-error").await?.contains("not a time zone"));
    assert_eq!(app.text("#auto-close-days ~ .field-error").await?, "Auto-close after 1 to 90 days");
    assert!(app.find_all("[data-testid=settings-saved]").await?.is_empty());
    app.set_value("#currency", "GBP").await?;
    app.wait_for_gone("#currency ~ .field-error").await.context("a mistake put right is no longer named")?;
    assert!(app.text("#time-zone ~ .field-error").await?.contains("not a time zone"), "the others still are");
    app.set_value("#time-zone", "Europe/London").await?;
    app.set_value("#auto-close-days", "7").await?;
    let respond = "#sla-routine-respond";
    app.wait_for(respond).await?;
    app.set_value(respond, "8").await?;
    app.wait_for("#save-settings").await?.click().await?;
    app.wait_for("[data-testid=settings-saved]").await?;
    app.wait_for_text("[data-testid=settings-history]", |t| {
        t.contains("SLA: Routine") && t.contains("respond 8 hours")
    })
    .await?;
    app.save_screen("settings").await?;

    // A request raised now is due on the new target.
    let staff = users::first_staff(&store).await?;
    let (tenancy, subcategory): (i64, i64) = Sql::new(
        "SELECT (SELECT min(id) FROM tenancies WHERE ended_on IS NULL),
                (SELECT id FROM categories WHERE name = 'Taps' AND parent_id IS NOT NULL)",
    )
    .fetch_one(&store)
    .await?;
    let request = plumbline_domain::api::SubmitRequest {
        tenancy: plumbline_domain::ids::TenancyId(tenancy),
        subcategory: plumbline_domain::ids::CategoryId(subcategory),
        severity: plumbline_domain::Severity::Routine,
        description: "Tap drips".into(),
        access: None,
    };
    let now = Utc::now();
    let submitted = plumbline_service::work_orders::submit(&store, staff, now, &request).await?;
    let detail = plumbline_service::work_orders::detail(&store, staff, now, submitted.id).await?;
    assert_eq!(detail.respond_by.timestamp(), (now + Duration::hours(8)).timestamp());

    app.go_to("Landlords").await?;
    app.wait_for(".landlord").await?;
    let card = app.find_all(".landlord").await?.into_iter().next().context("a landlord card")?;
    let email = card.attr("data-landlord").await?.context("its e-mail")?;
    let card = format!(".landlord[data-landlord='{email}']");
    app.wait_for(&format!("{card} [data-testid=edit-landlord]")).await?.click().await?;
    let approve = app.wait_for("#landlord-approve").await?;
    approve.clear().await?;
    approve.send_keys("750").await?;
    app.wait_for("#landlord-staff-may").await?.click().await?;
    app.save_screen("landlords").await?;
    app.wait_for("#save-landlord").await?.click().await?;
    app.wait_for_text(&format!("{card} [data-testid=landlord-rules]"), |t| t.contains("above £750.00 themselves"))
        .await?;
    let (above, staff_may): (i64, bool) = Sql::new(
        "SELECT t.approval_above_minor, t.staff_may_approve FROM landlord_thresholds t JOIN users u ON u.id = t.landlord_id
         WHERE u.email = ? AND u.role = ?",
    )
    .bind(&email)
    .bind(Role::Landlord.as_str())
    .fetch_one(&store)
    .await?;
    assert_eq!((above, staff_may), (75_000, false));
    app.finish().await
}
