//! A desktop on an agency server (started in this process on its own demo store): the
//! set-up screen of a new computer offers the server, shows its certificate's fingerprint
//! to compare, and once accepted signs in there; the data directory holds no database
//! and no files, the keyring holds the token, a restart resumes it, and a server that
//! goes away is said so and refuses changes. The server runs on PostgreSQL when
//! PLUMBLINE_TEST_POSTGRES_URL is set (scripts/with-postgres.sh).

use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use plumbline_desktop::RememberedSession;
use plumbline_domain::Role;
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_test_support::TestServer;

/// Names in the data directory that would be agency data: anything but the connection.
fn agency_data(app: &App) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(app.data_dir())?.collect::<std::io::Result<Vec<_>>>()?;
    let names = entries.into_iter().map(|entry| entry.file_name().to_string_lossy().into_owned());
    Ok(names.filter(|name| name != "connection.json").collect())
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

    let tenant = served.demo_email(Role::Tenant).await;
    app.wait_for(".demo-account").await.context("the server's demo accounts")?;
    app.sign_in(&tenant, DEMO_PASSWORD, true).await?;
    app.wait_for("[data-nav='My requests']").await.context("the tenant's desk")?;
    assert_eq!(agency_data(&app)?, Vec::<String>::new(), "no database and no files on this computer");
    let entry = RememberedSession::for_server(&served.base, &tenant);
    assert!(entry.load().await?.is_some(), "the keyring holds the token");

    let app = app.restart().await?;
    app.wait_for("[data-nav='My requests']").await.context("signed in again from the keyring")?;
    served.shutdown().await;
    let refused = app.invoke("read_all_notifications", serde_json::json!({})).await?;
    let message = refused["err"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.starts_with("Cannot reach the agency server"), "{refused}");
    assert_eq!(agency_data(&app)?, Vec::<String>::new());
    app.finish().await
}
