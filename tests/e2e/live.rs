//! Every open screen follows the agency as it changes, with no reload and no polling:
//! two desktops on one agency server, two windows on one store on this computer, and a
//! desktop that rides out its server going away.

use crate::agency_server::{connect, email_of};
use crate::desk::{take_step, wait_for_state};
use crate::harness::{App, Launch};
use crate::notifications::{start_dunst, wait_for_received};
use crate::prepared;
use crate::roles::{open_row, sign_out};
use anyhow::{Context, Result, bail};
use plumbline_domain::{Reference, State, WorkOrderId};
use plumbline_service::Store;
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_test_support::TestServer;
use std::time::{Duration, Instant};

/// How soon a change by anyone must be on every screen that shows it.
const WITHIN: Duration = Duration::from_secs(1);

async fn staff_email(store: &Store) -> Result<String> {
    let (email,): (String,) =
        Sql::new("SELECT email FROM users WHERE role = 'staff' ORDER BY id LIMIT 1").fetch_one(store).await?;
    Ok(email)
}

/// Staff open the order from the list of those awaiting approval.
async fn staff_open(app: &App, reference: &Reference) -> Result<()> {
    app.go_to("Work orders").await?;
    app.wait_for("[data-testid=filter-state] option[value=AwaitingApproval]").await?.click().await?;
    open_row(app, reference).await
}

/// The landlord approves from their "Awaiting my approval" list.
async fn landlord_approves(app: &App, reference: &Reference) -> Result<()> {
    app.wait_for("[data-nav='Dashboard']").await?.click().await?;
    app.wait_for("[data-count='Awaiting my approval']").await?.click().await?;
    open_row(app, reference).await?;
    take_step(app, "Approve", async |app| {
        Ok(app.wait_for("textarea[data-field=note]").await?.send_keys("Go ahead").await?)
    })
    .await
}

/// Waits, without reloading anything, until `css` reads as `check` wants; fails when that
/// takes longer than `WITHIN` from `since` (when the change was committed).
async fn shows_within(app: &App, css: &str, since: Instant, check: impl Fn(&str) -> bool) -> Result<Duration> {
    loop {
        let text = match app.find_all(css).await?.first() {
            Some(element) => element.text().await?,
            None => String::new(),
        };
        if check(&text) {
            return Ok(since.elapsed());
        }
        if since.elapsed() > WITHIN {
            let _ = app.save_screen("failed-live").await;
            bail!("{css} still reads {text:?} {:?} after the change", since.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The count on the staff dashboard's "Awaiting approval" bar.
async fn awaiting_approval_count(app: &App) -> Result<u64> {
    let text = app.text("[data-count='Awaiting approval'] .bar-count").await?;
    text.split_whitespace().filter_map(|word| word.replace(',', "").parse().ok()).next().context("a count")
}

async fn composer_text(app: &App) -> Result<String> {
    Ok(app.wait_for("[data-testid=messages] textarea").await?.prop("value").await?.unwrap_or_default())
}

/// The landlord approves on one desktop; on the other, staff's open order page, then
/// their dashboard, show it: what `first` and `second` are signed in as is set by the
/// caller.
async fn approvals_reach_staff(landlord_app: &App, staff_app: &App, store: &Store) -> Result<()> {
    let (landlord, first, second) = prepared::landlord_with_two_approvals(store).await?;
    let (first_ref, second_ref) = (Reference::of(first), Reference::of(second));
    landlord_app.sign_in(&email_of(store, landlord).await?, DEMO_PASSWORD, false).await?;
    staff_app.sign_in(&staff_email(store).await?, DEMO_PASSWORD, false).await?;
    staff_app.wait_for("[data-testid=workload]").await?;

    staff_open(staff_app, &first_ref).await?;
    let half = "Half a thought about the";
    staff_app.wait_for("[data-testid=messages] textarea").await?.send_keys(half).await?;
    landlord_approves(landlord_app, &first_ref).await?;
    wait_for_state(store, first, State::New).await?;
    let took = shows_within(staff_app, ".badges .badge", Instant::now(), |text| text == "New").await?;
    println!("the open order page showed the approval {took:?} after it was committed");
    assert_eq!(composer_text(staff_app).await?, half, "the half-written message is kept");
    staff_app.wait_for_text("[data-testid=timeline]", |text| text.contains("Approve")).await?;

    staff_app.wait_for("[data-nav='Dashboard']").await?.click().await?;
    staff_app.wait_for("[data-testid=workload]").await?;
    let before = awaiting_approval_count(staff_app).await?;
    landlord_approves(landlord_app, &second_ref).await?;
    wait_for_state(store, second, State::New).await?;
    let css = "[data-count='Awaiting approval'] .bar-count";
    let expected = (before - 1).to_string();
    let took =
        shows_within(staff_app, css, Instant::now(), |text| text.split_whitespace().any(|w| w == expected)).await?;
    println!("the dashboard showed it {took:?} after it was committed");
    sign_out(landlord_app).await
}

#[tokio::test]
async fn on_an_agency_server_staff_screens_follow_a_landlords_approval_on_another_desktop() -> Result<()> {
    let served = TestServer::demo().await;
    let landlord_app = App::start("live-server-landlord", Launch { real_store: true, ..Launch::default() }).await?;
    let staff_app = App::start("live-server-staff", Launch { real_store: true, ..Launch::default() }).await?;
    let _dunst = start_dunst(&staff_app.display()?).await?;
    connect(&landlord_app, &served).await?;
    connect(&staff_app, &served).await?;
    approvals_reach_staff(&landlord_app, &staff_app, served.store()).await?;
    // The desktop notification came from the same stream, through the real daemon.
    wait_for_received(|seen| seen.iter().any(|(_, summary, _)| summary.starts_with("Work approved · PL-"))).await?;
    staff_app.save_screen("live-server-staff").await?;
    landlord_app.finish().await?;
    staff_app.finish().await
}

#[tokio::test]
async fn two_windows_on_one_store_follow_each_other_within_a_second() -> Result<()> {
    let landlord_app = App::start("live-store-landlord", Launch::default()).await?;
    let staff_app = App::start_beside(&landlord_app, "live-store-staff", Launch::default()).await?;
    let store = landlord_app.store().await?;
    approvals_reach_staff(&landlord_app, &staff_app, &store).await?;
    landlord_app.finish().await?;
    staff_app.finish().await
}

#[tokio::test]
async fn a_desktop_rides_out_its_server_restarting_and_catches_up_with_every_change() -> Result<()> {
    let mut served = TestServer::demo().await;
    let app = App::start("live-reconnect", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    let store = served.store().clone();
    let staff = staff_email(&store).await?;
    app.sign_in(&staff, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-testid=connection][data-state=live]").await.context("following the server")?;
    let seen_before: u64 =
        app.wait_for("[data-testid=connection]").await?.attr("data-seen").await?.context("seen")?.parse()?;

    served.shutdown().await;
    app.wait_for("[data-testid=connection][data-state=reconnecting]").await.context("says it is reconnecting")?;
    app.save_screen("live-reconnecting").await?;
    // Meanwhile, at the agency: three messages on an order staff see.
    let (order,): (i64,) = Sql::new("SELECT min(id) FROM work_orders WHERE state = 'New'").fetch_one(&store).await?;
    let actor = plumbline_service::users::first_staff(&store).await?;
    for body in ["One", "Two", "Three"] {
        let request = plumbline_domain::api::PostMessage { id: WorkOrderId(order), body: body.into(), internal: false };
        plumbline_service::messages::post(&store, actor, chrono::Utc::now(), &request).await?;
    }
    served.restart().await;
    app.wait_for("[data-testid=connection][data-state=live]").await.context("connected again")?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let seen: u64 =
            app.wait_for("[data-testid=connection]").await?.attr("data-seen").await?.context("seen")?.parse()?;
        if seen - seen_before == 3 {
            break;
        }
        if Instant::now() > deadline {
            bail!("{} changes arrived after the restart, not the 3 made meanwhile", seen - seen_before);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // And not one more: none was delivered twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen: u64 =
        app.wait_for("[data-testid=connection]").await?.attr("data-seen").await?.context("seen")?.parse()?;
    assert_eq!(seen - seen_before, 3, "each change once");
    app.finish().await
}

/// Screens follow the change feed; a refresh on a timer would hide a feed that broke.
/// Only the background engine (SLA alerts, reminders, auto-close: `engine.rs`), the
/// reconnect backoff (`live.rs`), the type-ahead's pause for typing
/// (`tenancy_picker.rs`) and the idle sign-out (`session/guard.rs`, which reads nothing)
/// wait on the clock.
#[test]
fn no_screen_and_nothing_in_the_shell_refreshes_on_a_timer() -> Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let places: [(&str, &[&str]); 2] =
        [("src-ui/src", &["tenancy_picker.rs", "guard.rs"]), ("src-tauri/src", &["engine.rs", "live.rs"])];
    for (dir, allowed) in places {
        for path in rust_files(&root.join(dir))? {
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
            // The shell's own tests (`*_tests.rs`) may wait for what they test.
            if allowed.contains(&name) || name.ends_with("_tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path)?;
            for timer in ["set_interval", "set_timeout", "Interval", "interval(", "sleep("] {
                assert!(!text.contains(timer), "{} waits on the clock ({timer})", path.display());
            }
        }
    }
    Ok(())
}

fn rust_files(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
    Ok(found)
}
