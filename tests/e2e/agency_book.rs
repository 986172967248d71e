//! A real agency's first day: set up on an empty store, bring its book in from messy
//! spreadsheets through the native dialogs, put right what the import could not know
//! (a contractor's insurance), and take an imported tenant's repair to Closed; and the
//! same import from a desktop connected to the agency server.

use crate::agency_server::connect;
use crate::attachments::type_into_native_dialog;
use crate::desk::{take_step, wait_for_state};
use crate::harness::{App, Launch};
use crate::roles::{do_the_job, open_row, sign_out, submit_dripping_tap};
use anyhow::{Context, Result};
use plumbline_domain::{Role, State};
use plumbline_service::accounts::{DEMO_PASSWORD, demo_accounts};
use plumbline_service::db::Sql;
use plumbline_test_support::TestServer;
use plumbline_test_support::agency_book::{BookFile, contractors_csv, properties_csv};
use std::path::Path;

const ADMIN_EMAIL: &str = "dana@riverside.example";
const ADMIN_PASSWORD: &str = "riverside lettings 2026";

async fn set_up_agency(app: &App) -> Result<()> {
    app.wait_for("#agency").await?.send_keys("Riverside Lettings").await?;
    app.wait_for("#name").await?.send_keys("Dana Reid").await?;
    app.wait_for("#email").await?.send_keys(ADMIN_EMAIL).await?;
    app.wait_for("#password").await?.send_keys(ADMIN_PASSWORD).await?;
    app.wait_for("#confirm").await?.send_keys(ADMIN_PASSWORD).await?;
    app.wait_for("#create-agency").await?.click().await?;
    app.wait_for("[data-testid=setup-checklist]").await.context("a new agency is shown what to set up")?;
    Ok(())
}

/// Chooses `path` in the import's native dialog and waits for the preview.
async fn preview(app: &App, path: &Path) -> Result<()> {
    app.wait_for("#choose-import-file").await?.click().await?;
    let (display, path) = (app.display()?, path.display().to_string());
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&display, "^Import from a spreadsheet", "ctrl+l", &path, &["Return"])
    })
    .await??;
    app.wait_for("#run-import").await?;
    Ok(())
}

/// The preview names each bad row by its line and column.
async fn assert_bad_rows_named(app: &App, file: &BookFile) -> Result<()> {
    let count = format!("{} rows", file.bad_rows.len());
    app.wait_for_text("[data-testid=import-rejected-count]", |t| t == count).await?;
    for (line, column) in &file.bad_rows {
        let row = app.text(&format!("[data-testid=rejected-rows] tr[data-row='{line}']")).await?;
        assert!(row.contains(column), "line {line} is rejected for its {column}: {row}");
    }
    Ok(())
}

async fn import(app: &App) -> Result<()> {
    app.wait_for("#run-import").await?.click().await?;
    app.wait_for("[data-testid=import-done]").await.context("the import finished")?;
    Ok(())
}

/// A user's first sign-in with the temporary password an admin gave them.
async fn first_sign_in(app: &App, email: &str, temporary: &str) -> Result<()> {
    app.sign_in(email, temporary, false).await?;
    app.wait_for("#current-password").await?.send_keys(temporary).await?;
    app.wait_for("#new-password").await?.send_keys("a long new password 7").await?;
    app.wait_for("#confirm-password").await?.send_keys("a long new password 7").await?;
    app.wait_for("#change-password").await?.click().await?;
    app.wait_for("#sign-out").await?;
    Ok(())
}

/// As the admin: a temporary password for the user with `email`, from Users.
async fn temporary_password_for(app: &App, email: &str) -> Result<String> {
    app.go_to("Users").await?;
    let search = app.wait_for("#user-search").await?;
    search.clear().await?;
    search.send_keys(email).await?;
    let row = format!("tr[data-user='{email}']");
    app.wait_for_text(&row, |t| t.contains("No password yet")).await?;
    app.wait_for(&format!("{row} [data-testid=reset-password]")).await?.click().await?;
    app.wait_for_text("#temporary-password", |t| t.contains(email)).await?;
    app.text("[data-testid=temporary-password]").await
}

async fn sign_in_as_admin(app: &App) -> Result<()> {
    app.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, false).await?;
    app.wait_for("[data-nav='Users']").await?;
    Ok(())
}

#[tokio::test]
async fn a_new_agency_imports_its_book_and_takes_an_imported_tenants_repair_to_closed() -> Result<()> {
    let app = App::start("agency-book", Launch { real_store: true, ..Launch::default() }).await?;
    set_up_agency(&app).await?;
    app.save_screen("setup-checklist").await?;
    let files = tempfile::tempdir()?;
    let (book, contractors) = (properties_csv(50), contractors_csv(10));
    let book_path = files.path().join("Agency book.csv");
    let contractors_path = files.path().join("contractors.csv");
    std::fs::write(&book_path, &book.bytes)?;
    std::fs::write(&contractors_path, &contractors.bytes)?;

    // The book: 50 properties with their units and tenancies, ten rows wrong.
    app.go_to("Import").await?;
    app.save_screen("import-start").await?;
    preview(&app, &book_path).await?;
    assert_bad_rows_named(&app, &book).await?;
    app.save_screen("import-preview").await?;
    import(&app).await?;
    let store = app.store().await?;
    let (properties, tenancies): (i64, i64) =
        Sql::new("SELECT (SELECT count(*) FROM properties), (SELECT count(*) FROM tenancies)")
            .fetch_one(&store)
            .await?;
    assert_eq!((properties, tenancies as usize), (48, book.good_rows));

    // The rejected rows, saved through the native save dialog, to fix in the spreadsheet.
    let report_path = files.path().join("rejected.csv");
    app.wait_for("#save-rejected").await?.click().await?;
    let (display, path) = (app.display()?, report_path.display().to_string());
    tokio::task::spawn_blocking(move || {
        type_into_native_dialog(&display, "^Save the rejected rows", "ctrl+a", &path, &["Return"])
    })
    .await??;
    app.wait_for("[data-testid=report-saved]").await?;
    let report = std::fs::read_to_string(&report_path)?;
    for (line, column) in &book.bad_rows {
        assert!(report.lines().any(|l| l.starts_with(&format!("{line},{column},"))), "{line} {column} in {report}");
    }

    // The contractors: a UTF-8 file with a BOM, two rows wrong.
    preview(&app, &contractors_path).await?;
    assert_bad_rows_named(&app, &contractors).await?;
    import(&app).await?;

    // The first contractor came without insurance: staff record it, and the trade.
    app.go_to("Contractors").await?;
    let row = "tr[data-contractor='office@contractor0.example.test']";
    app.wait_for_text(&format!("{row} [data-testid=insurance]"), |t| t == "None on record").await?;
    app.wait_for(&format!("{row} [data-testid=edit-contractor]")).await?.click().await?;
    app.set_value("#contractor-insurance", "2030-06-30").await?;
    let heating = "label[data-trade='HVAC / Heating'] input";
    app.wait_for(heating).await?.click().await?;
    app.save_screen("contractor-profile").await?;
    app.wait_for("#save-contractor").await?.click().await?;
    app.wait_for_text(&format!("{row} [data-testid=insurance]"), |t| t.contains("30 Jun 2030")).await?;
    app.save_screen("contractors").await?;
    let (contractor, trades): (i64, i64) = Sql::new(
        "SELECT u.id, (SELECT count(*) FROM contractor_categories WHERE contractor_id = u.id)
         FROM users u WHERE u.email = 'office@contractor0.example.test'",
    )
    .fetch_one(&store)
    .await?;
    assert_eq!(trades, 2, "Plumbing from the file, Heating from the app");

    // One of the imported tenants signs in for the first time and reports a repair.
    let tenant_email = "tenant0.0@example.test";
    let tenant_password = temporary_password_for(&app, tenant_email).await?;
    let contractor_password = temporary_password_for(&app, "office@contractor0.example.test").await?;
    sign_out(&app).await?;
    first_sign_in(&app, tenant_email, &tenant_password).await?;
    app.wait_for("[data-testid=new-request]").await?.click().await?;
    app.wait_for_text("#home", |t| t.contains("1 Ashley Road")).await?;
    let reference = submit_dripping_tap(&app, &store).await?;
    let id = reference.id();
    wait_for_state(&store, id, State::New).await?;
    sign_out(&app).await?;

    // Staff assign the imported contractor now that they are insured.
    sign_in_as_admin(&app).await?;
    app.go_to("Work orders").await?;
    open_row(&app, &reference).await?;
    take_step(&app, "Assign", async |app| {
        Ok(app.wait_for(&format!("select[data-field=contractor] option[value='{contractor}']")).await?.click().await?)
    })
    .await?;
    wait_for_state(&store, id, State::Assigned).await?;
    sign_out(&app).await?;

    first_sign_in(&app, "office@contractor0.example.test", &contractor_password).await?;
    do_the_job(&app, &store, &reference, "#1234").await?;
    sign_out(&app).await?;

    sign_in_as_admin(&app).await?;
    app.go_to("Work orders").await?;
    open_row(&app, &reference).await?;
    take_step(&app, "Close", async |_| Ok(())).await?;
    wait_for_state(&store, id, State::Closed).await?;
    app.finish().await
}

/// The same import from a desktop connected to the agency server: the file is chosen on
/// this computer, and the server checks and keeps it.
#[tokio::test]
async fn a_connected_desktop_imports_contractors_into_the_agency_server() -> Result<()> {
    let served = TestServer::demo().await;
    let app = App::start("agency-book-server", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    let accounts = demo_accounts(served.store()).await?;
    let admin = accounts.iter().find(|account| account.role == Role::Admin).context("a demo admin")?;
    app.sign_in(&admin.email, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-nav='Import']").await?;

    let files = tempfile::tempdir()?;
    let contractors = contractors_csv(10);
    let path = files.path().join("contractors.csv");
    std::fs::write(&path, &contractors.bytes)?;
    app.go_to("Import").await?;
    preview(&app, &path).await?;
    assert_bad_rows_named(&app, &contractors).await?;
    import(&app).await?;

    app.go_to("Contractors").await?;
    let row = "tr[data-contractor='office@contractor0.example.test']";
    app.wait_for(&format!("{row} [data-testid=edit-contractor]")).await?.click().await?;
    app.set_value("#contractor-insurance", "2030-06-30").await?;
    app.wait_for("#save-contractor").await?.click().await?;
    app.wait_for_text(&format!("{row} [data-testid=insurance]"), |t| t.contains("30 Jun 2030")).await?;
    let (insurance,): (Option<String>,) = Sql::new(
        "SELECT k.insurance_expires_on FROM contractors k JOIN users u ON u.id = k.user_id
         WHERE u.email = 'office@contractor0.example.test'",
    )
    .fetch_one(served.store())
    .await?;
    assert_eq!(insurance.as_deref(), Some("2030-06-30"), "kept by the agency server");
    app.finish().await
}
