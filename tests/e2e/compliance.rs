//! Compliance certificates from their screens: staff record a gas safety certificate on
//! a property's page (its usual 12 months filled in) with its PDF chosen in the native
//! dialog, see it amber as it nears its end, replace the PDF with a photo, follow the
//! engine's renewal order from the agency's Certificates page; the property's landlord
//! sees it on theirs and opens its file. On this computer and through an agency server.

use crate::agency_server::{connect, email_of};
use crate::attachments::type_into_native_dialog;
use crate::harness::{App, Launch};
use crate::roles::RecordingBrowser;
use anyhow::{Context, Result};
use chrono::{Duration, Local, Months, Utc};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::{Store, compliance, users};
use plumbline_test_support::TestServer;

async fn records_a_gas_certificate(app: &App, store: &Store, browser: &RecordingBrowser, screens: &str) -> Result<()> {
    let (name, address, landlord): (String, String, i64) = Sql::new(
        "SELECT name, street || ', ' || city || ' ' || postcode, landlord_id FROM properties p
         WHERE archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.property_id = p.id)
         ORDER BY id LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    app.go_to("Properties").await?;
    app.wait_for(&format!("[data-testid=properties] [data-property='{address}'] td")).await?.click().await?;
    app.wait_for_text("[data-testid=property-name]", |t| t.contains(&name)).await?;
    app.wait_for("#add-certificate").await?.click().await?;
    // Sent without its issue day: named beside the field, nothing stored.
    app.wait_for("#save-certificate").await?.click().await?;
    app.wait_for_text("#certificate-issued ~ .field-error", |t| t.starts_with("Enter the day it was issued")).await?;

    // Issued eleven months and ten days ago: a gas safety record runs out in about 20 days.
    let issued = Local::now().date_naive().checked_sub_months(Months::new(12)).context("a day")? + Duration::days(20);
    app.set_value("#certificate-issued", &issued.format("%d/%m/%Y").to_string()).await?;
    // Its PDF, chosen in the native dialog, goes with it.
    app.wait_for("#choose-certificate-file").await?.click().await?;
    choose_certificate_file(app, "invoice.pdf").await?;
    app.wait_for_text("[data-testid=chosen-certificate-file]", |t| t.starts_with("invoice.pdf")).await?;
    app.save_screen(&format!("certificate-form{screens}")).await?;
    app.wait_for("#save-certificate").await?.click().await?;
    let row = "#certificates tr[data-certificate='Gas safety']";
    let text = app.wait_for_text(row, |t| t.contains("days left") && t.contains("invoice.pdf")).await?;
    let expires = issued.checked_add_months(Months::new(12)).context("a day")?;
    assert!(text.contains(&expires.format("%-d %b %Y").to_string()), "the usual 12 months: {text}");
    let rag = app.wait_for(&format!("{row} .pill")).await?.attr("data-rag").await?;
    assert_eq!(rag.as_deref(), Some("warn"), "amber within 30 days");

    // A clearer scan replaces it.
    app.wait_for(&format!("{row} [data-testid=attach-certificate-file]")).await?.click().await?;
    choose_certificate_file(app, "leak.jpg").await?;
    app.wait_for_text(&format!("{row} [data-testid=open-certificate-file]"), |t| t == "leak.jpg").await?;
    app.save_screen(&format!("certificate-file{screens}")).await?;
    let (file_name,): (Option<String>,) =
        Sql::new("SELECT file_name FROM certificates WHERE property_id = (SELECT id FROM properties WHERE name = ?)")
            .bind(&name)
            .fetch_one(store)
            .await?;
    assert_eq!(file_name.as_deref(), Some("leak.jpg"));

    // The engine raises the renewal once, whichever engine turn comes first: the app's
    // own (a few seconds after start, then each minute) or this one. The card links it.
    compliance::remind_and_renew(store, Utc::now()).await?;
    let (reminders, renewals): (i64, i64) = Sql::new(
        "SELECT (SELECT COUNT(*) FROM certificate_reminders r WHERE r.certificate_id = c.id),
                (SELECT COUNT(*) FROM work_orders w WHERE w.id = c.renewal_order_id)
         FROM certificates c WHERE c.property_id = (SELECT id FROM properties WHERE name = ?)",
    )
    .bind(&name)
    .fetch_one(store)
    .await?;
    assert_eq!((reminders, renewals), (1, 1));
    app.go_to("Certificates").await?;
    // Soonest to run out first: this one heads the agency's list.
    let listed = app.wait_for_text("table.certificates tbody tr", |t| t.contains("PL-")).await?;
    assert!(listed.contains(&name) && listed.contains("Gas safety"), "{listed}");
    let amber = app.text("[data-standing=warn] .tile-count").await?;
    assert!(amber.parse::<u32>().is_ok_and(|n| n >= 1), "{amber}");
    app.save_screen(&format!("certificates{screens}")).await?;
    app.wait_for("table.certificates tbody tr .link").await?.click().await?;
    app.wait_for_text("[data-testid=description]", |t| t.starts_with("Renew the Gas safety certificate")).await?;

    // The landlord sees it among theirs.
    app.wait_for("#sign-out").await?.click().await?;
    let email = email_of(store, plumbline_domain::UserId(landlord)).await?;
    app.sign_in(&email, DEMO_PASSWORD, false).await?;
    app.go_to("Certificates").await?;
    app.wait_for_text("table.certificates tbody", |t| t.contains("Gas safety") && t.contains(&name)).await?;
    app.save_screen(&format!("certificates-landlord{screens}")).await?;
    // They open its file: a copy of the very photo, handed to the OS's app.
    // The demo's certificates have no file: the one with a file is this one.
    app.wait_for("table.certificates [data-testid=open-certificate-file]").await?.click().await?;
    let opened = browser.opened().await?;
    assert!(opened.ends_with("/leak.jpg"), "{opened}");
    assert_eq!(std::fs::read(&opened)?, std::fs::read(fixture("leak.jpg"))?, "the very photo attached");
    assert!(app.find_all("[data-testid=attach-certificate-file]").await?.is_empty(), "landlords attach nothing");
    Ok(())
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../service/tests/fixtures").join(name)
}

/// Chooses the fixture `name` in the open "Certificate file" dialog.
async fn choose_certificate_file(app: &App, name: &str) -> Result<()> {
    let (display, path) = (app.display()?, fixture(name).canonicalize()?.display().to_string());
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&display, "^Certificate file", "ctrl+l", &path, &["Return"])
    })
    .await?
}

#[tokio::test]
async fn on_this_computer_staff_record_a_certificate_and_its_renewal_is_raised() -> Result<()> {
    let browser = RecordingBrowser::new()?;
    let app = App::launch_with("compliance", &[("PATH", &browser.path())]).await?;
    records_a_gas_certificate(&app, &app.store().await?, &browser, "").await?;
    app.finish().await
}

#[tokio::test]
async fn on_an_agency_server_staff_record_a_certificate_and_its_renewal_is_raised() -> Result<()> {
    let served = TestServer::demo().await;
    let browser = RecordingBrowser::new()?;
    let env = [("PATH", browser.path())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = App::start("compliance-server", Launch { real_store: true, env: &env, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    let staff = users::first_staff(served.store()).await?;
    app.sign_in(&email_of(served.store(), staff.user_id).await?, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-testid=workload]").await?;
    records_a_gas_certificate(&app, served.store(), &browser, "-server").await?;
    app.finish().await
}
