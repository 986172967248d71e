//! Desktops on an agency server (started in this process on its own demo store): the
//! set-up screen of a new computer offers the server, shows its certificate's fingerprint
//! to compare, and once accepted signs in there; the data directory holds no database
//! and no files, the keyring holds the token, a restart resumes it, and a server that
//! goes away is said so and refuses changes. Two desktops, each with its own data
//! directory, take one repair from the tenant's photo to the contractor's assignment.
//! The server runs on PostgreSQL when PLUMBLINE_TEST_POSTGRES_URL is set
//! (scripts/with-postgres.sh).

use crate::attachments::choose_in_native_dialog;
use crate::desk::{take_step, wait_for_state};
use crate::harness::{App, Launch};
use crate::roles::{open_row, sign_out, submit_dripping_tap, tenancy_with_gate_code};
use anyhow::{Context, Result};
use plumbline_desktop::RememberedSession;
use plumbline_domain::commands;
use plumbline_domain::{Reference, Role, State, UserId};
use plumbline_service::Store;
use plumbline_service::accounts::{DEMO_PASSWORD, demo_accounts};
use plumbline_service::db::Sql;
use plumbline_test_support::TestServer;

/// Names in the data directory that would be agency data: anything but the connection.
fn agency_data(app: &App) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(app.data_dir())?.collect::<std::io::Result<Vec<_>>>()?;
    let names = entries.into_iter().map(|entry| entry.file_name().to_string_lossy().into_owned());
    Ok(names.filter(|name| name != "connection.json").collect())
}

/// A new computer's first screen: chooses the agency server, compares the fingerprint
/// it shows with the server's, and accepts it.
pub(crate) async fn connect(app: &App, served: &TestServer) -> Result<()> {
    app.wait_for("#use-agency-server").await?.click().await?;
    app.wait_for("#server-address").await?.send_keys(&served.base).await?;
    app.wait_for("#check-server").await?.click().await?;
    let shown = app.text("#server-fingerprint").await?;
    assert_eq!(shown, served.server().identity().fingerprint, "the fingerprint to compare is the server's");
    app.wait_for("#trust-server").await?.click().await?;
    app.wait_for(".demo-account").await.context("the server's sign-in screen")?;
    Ok(())
}

pub(crate) async fn email_of(store: &Store, user: UserId) -> Result<String> {
    let (email,): (String,) = Sql::new("SELECT email FROM users WHERE id = ?").bind(user.0).fetch_one(store).await?;
    Ok(email)
}

#[tokio::test]
async fn a_desktop_on_an_agency_server_keeps_nothing_of_the_agency_but_its_token() -> Result<()> {
    let mut served = TestServer::demo().await;
    let app = App::start("agency_server", Launch { real_store: true, ..Launch::default() }).await?;
    app.wait_for("#use-agency-server").await?.click().await?;
    app.wait_for("#server-address").await?.send_keys(&served.base).await?;
    app.wait_for("#check-server").await?.click().await?;
    let shown = app.text("#server-fingerprint").await?;
    assert_eq!(shown, served.server().identity().fingerprint, "the fingerprint to compare is the server's");
    app.save_screen("agency_server_fingerprint").await?;
    app.wait_for("#trust-server").await?.click().await?;

    let accounts = demo_accounts(served.store()).await?;
    let tenant = accounts.iter().find(|account| account.role == Role::Tenant).context("a demo tenant")?;
    app.wait_for(".demo-account").await.context("the server's demo accounts")?;
    app.sign_in(&tenant.email, DEMO_PASSWORD, true).await?;
    app.wait_for("[data-nav='My requests']").await.context("the tenant's desk")?;
    assert_eq!(agency_data(&app)?, Vec::<String>::new(), "no database and no files on this computer");
    let entry = RememberedSession::for_server(&served.base, &tenant.email);
    assert!(entry.load().await?.is_some(), "the keyring holds the token");

    let app = app.restart().await?;
    app.wait_for("[data-nav='My requests']").await.context("signed in again from the keyring")?;
    about_names_the_server(&app, &served.base).await?;
    served.shutdown().await;
    let refused = app.invoke::<commands::ReadAllNotifications>(serde_json::json!({})).await?;
    let message = refused["err"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.starts_with("Cannot reach the agency server"), "{refused}");
    assert_eq!(agency_data(&app)?, Vec::<String>::new());
    app.finish().await
}

/// The About box names the server this desktop works on, its version and its schema.
async fn about_names_the_server(app: &App, base: &str) -> Result<()> {
    app.wait_for("[data-testid=open-about]").await?.click().await?;
    let server = app.wait_for_text("[data-testid=about-server-version]", |text| !text.is_empty()).await?;
    assert_eq!(server, env!("CARGO_PKG_VERSION"), "the server's version");
    assert_eq!(app.text("[data-testid=about-store]").await?, format!("The agency server at {base}"));
    let schema = plumbline_service::Store::schema_version();
    assert_eq!(app.text("[data-testid=about-schema]").await?, format!("change {schema}"));
    app.wait_for("[data-testid=about] .sheet-head button").await?.click().await?;
    app.wait_for_gone("[data-testid=about]").await?;
    Ok(())
}

/// The tenant, on the first desktop, reports a dripping tap and adds a photo of it
/// through the native dialog.
async fn tenant_reports_with_a_photo(app: &App, store: &Store, tenant: &str) -> Result<Reference> {
    app.sign_in(tenant, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-testid=new-request]").await?.click().await?;
    let reference = submit_dripping_tap(app, store).await?;
    app.wait_for("#open-new-order").await?.click().await?;
    app.wait_for("[data-testid=add-attachments]").await?.click().await?;
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../service/tests/fixtures/leak.jpg");
    let path = photo.canonicalize()?.to_string_lossy().into_owned();
    let display = app.display()?;
    tokio::task::spawn_blocking(move || choose_in_native_dialog(&display, &path)).await??;
    app.wait_for("[data-testid=thumbnail]").await.context("the photo, sent to the server, shows")?;
    sign_out(app).await?;
    Ok(reference)
}

/// Staff, on the second desktop, open the order fresh from the list.
async fn staff_open(app: &App, reference: &Reference) -> Result<()> {
    app.go_to("Work orders").await?;
    open_row(app, reference).await
}

/// Every step of the journey, as the order's history shows it.
const HISTORY: [&str; 5] =
    ["Submitted", "Added a photo (before)", "Request landlord approval", "Approve", "Assign contractor"];

async fn shows_every_step(app: &App) -> Result<()> {
    let timeline = app.text("[data-testid=timeline]").await?;
    for step in HISTORY {
        assert!(timeline.contains(step), "the history shows {step:?}: {timeline}");
    }
    Ok(())
}

#[tokio::test]
async fn two_desktops_on_one_server_take_a_repair_from_the_tenants_photo_to_a_contractor() -> Result<()> {
    let served = TestServer::demo().await;
    let store = served.store();
    let (tenant, landlord, _, _) = tenancy_with_gate_code(store).await?;
    let (tenant, landlord) = (email_of(store, tenant).await?, email_of(store, landlord).await?);
    let first = App::start("two-desktops-first", Launch { real_store: true, ..Launch::default() }).await?;
    let second = App::start("two-desktops-second", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&first, &served).await?;
    connect(&second, &served).await?;

    let reference = tenant_reports_with_a_photo(&first, store, &tenant).await?;
    let id = reference.id();
    let staff = demo_accounts(store).await?.into_iter().find(|a| a.role == Role::Staff).context("demo staff")?;
    second.sign_in(&staff.email, DEMO_PASSWORD, false).await?;
    staff_open(&second, &reference).await?;
    second.wait_for("[data-testid=thumbnail]").await.context("staff see the tenant's photo")?;
    take_step(&second, "RequestApproval", async |app| {
        Ok(app.wait_for("input[data-field='estimate (£)']").await?.send_keys("650").await?)
    })
    .await?;
    wait_for_state(store, id, State::AwaitingApproval).await?;

    first.sign_in(&landlord, DEMO_PASSWORD, true).await?;
    first.wait_for("[data-count='Awaiting my approval']").await?.click().await?;
    open_row(&first, &reference).await?;
    take_step(&first, "Approve", async |app| {
        Ok(app.wait_for("textarea[data-field=note]").await?.send_keys("Go ahead").await?)
    })
    .await?;
    wait_for_state(store, id, State::New).await?;

    staff_open(&second, &reference).await?;
    take_step(&second, "Assign", async |app| {
        let best = "select[data-field=contractor] option:not([value='']):not([disabled])";
        Ok(app.wait_for(best).await?.click().await?)
    })
    .await?;
    wait_for_state(store, id, State::Assigned).await?;
    second.wait_for_text(".badges .badge", |t| t == "Assigned").await?;
    shows_every_step(&second).await?;
    // The landlord finds it again among those waiting for a contractor.
    first.wait_for("[data-nav='Dashboard']").await?.click().await?;
    first.wait_for("[data-count='Awaiting a contractor']").await?.click().await?;
    open_row(&first, &reference).await?;
    shows_every_step(&first).await?;

    for app in [&first, &second] {
        assert_eq!(agency_data(app)?, Vec::<String>::new(), "no database and no attachment file on this computer");
    }
    let kept = RememberedSession::for_server(&served.base, &landlord).load().await?;
    assert!(kept.is_some(), "the keyring holds the landlord's token");
    second.finish().await?;
    first.finish().await
}
