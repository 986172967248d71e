//! A desktop on an agency server (started in this process on its own demo store): the
//! set-up screen of a new computer offers the server, shows its certificate's fingerprint
//! to compare, and once accepted signs in there; the data directory holds no database
//! and no files, the keyring holds the token, a restart resumes it, and a server that
//! goes away is said so and refuses changes.

use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use plumbline_desktop::RememberedSession;
use plumbline_domain::Role;
use plumbline_server::{Config, Limits, Server, TlsSource};
use plumbline_service::accounts::{DEMO_PASSWORD, demo_accounts};
use plumbline_service::{Store, seed};
use tempfile::TempDir;

struct DemoServer {
    server: Server,
    store: Store,
    base: String,
    _dirs: (TempDir, TempDir),
}

async fn demo_server() -> Result<DemoServer> {
    let (store_dir, state_dir) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let store = Store::open(store_dir.path()).await?;
    seed::demo_if_empty(&store, plumbline_server::now()).await?;
    let config = Config {
        listen: "127.0.0.1:0".parse()?,
        tls: TlsSource::SelfSigned { state_dir: state_dir.path().to_owned() },
        demo: true,
        limits: Limits::default(),
        background_every: None,
        clock: plumbline_server::now,
    };
    let server = plumbline_server::start(store.clone(), config).await?;
    let base = format!("https://127.0.0.1:{}", server.local_addr().port());
    Ok(DemoServer { server, store, base, _dirs: (store_dir, state_dir) })
}

/// Names in the data directory that would be agency data: anything but the connection.
fn agency_data(app: &App) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(app.data_dir())?.collect::<std::io::Result<Vec<_>>>()?;
    let names = entries.into_iter().map(|entry| entry.file_name().to_string_lossy().into_owned());
    Ok(names.filter(|name| name != "connection.json").collect())
}

#[tokio::test]
async fn a_desktop_on_an_agency_server_keeps_nothing_of_the_agency_but_its_token() -> Result<()> {
    let served = demo_server().await?;
    let app = App::start("agency_server", Launch { real_store: true, ..Launch::default() }).await?;
    app.wait_for("#use-agency-server").await?.click().await?;
    app.wait_for("#server-address").await?.send_keys(&served.base).await?;
    app.wait_for("#check-server").await?.click().await?;
    let shown = app.text("#server-fingerprint").await?;
    assert_eq!(shown, served.server.identity().fingerprint, "the fingerprint to compare is the server's");
    app.save_screen("agency_server_fingerprint").await?;
    app.wait_for("#trust-server").await?.click().await?;

    let accounts = demo_accounts(&served.store).await?;
    let tenant = accounts.iter().find(|account| account.role == Role::Tenant).context("a demo tenant")?;
    app.wait_for(".demo-account").await.context("the server's demo accounts")?;
    app.sign_in(&tenant.email, DEMO_PASSWORD, true).await?;
    app.wait_for("[data-nav='My requests']").await.context("the tenant's desk")?;
    assert_eq!(agency_data(&app)?, Vec::<String>::new(), "no database and no files on this computer");
    let entry = RememberedSession::for_server(&served.base, &tenant.email);
    assert!(entry.load().await?.is_some(), "the keyring holds the token");

    let app = app.restart().await?;
    app.wait_for("[data-nav='My requests']").await.context("signed in again from the keyring")?;
    served.server.shutdown().await?;
    let refused = app.invoke("read_all_notifications", serde_json::json!({})).await?;
    let message = refused["err"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.starts_with("Cannot reach the agency server"), "{refused}");
    assert_eq!(agency_data(&app)?, Vec::<String>::new());
    app.finish().await
}
