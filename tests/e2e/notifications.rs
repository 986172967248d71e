//! Notifications in the real app: another process (this test, acting as staff on the
//! same store) changes an order, and the running app, signed in as the contractor,
//! raises a desktop notification through a real notification daemon (dunst on the
//! test's D-Bus session) and counts it under the bell.

use crate::harness::App;
use anyhow::{Context, Result, bail};
use chrono::Utc;
use fantoccini::key::Key;
use plumbline_domain::api::{ActOnWorkOrder, Step};
use plumbline_domain::{Priority, Reference, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{Store, users, work_orders};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The notification daemon, for as long as the test runs.
pub(crate) struct Dunst(Child);

impl Drop for Dunst {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) async fn start_dunst(display: &str) -> Result<Dunst> {
    let child = Command::new("dunst")
        .env("DISPLAY", display)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting dunst (installed by scripts/install-deps.sh)")?;
    let dunst = Dunst(child);
    for _ in 0..50 {
        if Command::new("dunstctl").args(["count", "history"]).output().is_ok_and(|o| o.status.success()) {
            return Ok(dunst);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("dunst never took the notification service")
}

/// (app name, summary, body) of every notification dunst has received, shown or not.
fn received() -> Result<Vec<(String, String, String)>> {
    // Shown ones move to the history when closed; close them all first.
    Command::new("dunstctl").arg("close-all").status()?;
    let output = Command::new("dunstctl").arg("history").output()?;
    let history: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let entries = history["data"][0].as_array().cloned().unwrap_or_default();
    let text = |entry: &serde_json::Value, key: &str| entry[key]["data"].as_str().unwrap_or_default().to_owned();
    Ok(entries.iter().map(|e| (text(e, "appname"), text(e, "summary"), text(e, "body"))).collect())
}

/// Every `Notify` call on the test's session bus, as `dbus-monitor` prints them: what
/// an app asked the notification service for, hints included (dunst's history keeps no
/// urgency).
pub(crate) struct NotifyCalls {
    monitor: Child,
    log: tempfile::NamedTempFile,
}

impl NotifyCalls {
    pub(crate) async fn record() -> Result<Self> {
        let log = tempfile::NamedTempFile::new()?;
        let monitor = Command::new("dbus-monitor")
            .args(["--session", "type=method_call,interface=org.freedesktop.Notifications,member=Notify"])
            .stdout(log.reopen()?)
            .stderr(Stdio::null())
            .spawn()
            .context("starting dbus-monitor")?;
        // It prints its own sign-on once it listens.
        for _ in 0..50 {
            if std::fs::metadata(log.path())?.len() > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(Self { monitor, log })
    }

    /// How many notifications titled `summary` were asked for as critical (urgency 2).
    pub(crate) fn critical(&self, summary: &str) -> Result<usize> {
        let text = std::fs::read_to_string(self.log.path())?;
        let title = format!("string \"{summary}\"");
        Ok(text
            .split("method call")
            .filter(|call| call.contains(&title))
            .filter(|call| {
                call.split("string \"urgency\"").nth(1).is_some_and(|hint| {
                    hint.lines().nth(1).is_some_and(|value| {
                        value.trim_start().starts_with("variant") && value.trim_end().ends_with("byte 2")
                    })
                })
            })
            .count())
    }
}

impl Drop for NotifyCalls {
    fn drop(&mut self) {
        let _ = self.monitor.kill();
        let _ = self.monitor.wait();
    }
}

pub(crate) async fn wait_for_received(
    check: impl Fn(&[(String, String, String)]) -> bool,
) -> Result<Vec<(String, String, String)>> {
    for _ in 0..100 {
        let seen = received()?;
        if check(&seen) {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("dunst received {:?}", received()?)
}

async fn step_as_staff(store: &Store, order: WorkOrderId, step: Step) -> Result<()> {
    let staff = users::first_staff(store).await?;
    let version: (i64,) =
        Sql::new("SELECT version FROM work_orders WHERE id = ?").bind(order.0).fetch_one(store).await?;
    work_orders::act(store, staff, Utc::now(), &ActOnWorkOrder { id: order, version: version.0, step }).await?;
    Ok(())
}

#[tokio::test]
async fn another_desks_change_reaches_the_contractor_as_a_desktop_notification_and_in_the_bell() -> Result<()> {
    let app = App::start("notifications", Default::default()).await?;
    let _dunst = start_dunst(&app.display()?).await?;
    let store = app.store().await?;
    let (contractor,): (i64,) =
        Sql::new("SELECT user_id FROM contractors WHERE insurance_expires_on >= ? ORDER BY user_id LIMIT 1")
            .bind(Utc::now().date_naive().to_string())
            .fetch_one(&store)
            .await?;
    let (order, what): (i64, String) = Sql::new(
        "SELECT w.id, c.name || ' – ' || s.name FROM work_orders w JOIN categories c ON c.id = w.category_id
         JOIN categories s ON s.id = w.subcategory_id WHERE w.state = 'New' ORDER BY w.id LIMIT 1",
    )
    .fetch_one(&store)
    .await?;
    let (order, reference) = (WorkOrderId(order), Reference::of(WorkOrderId(order)));
    // What was already due at the demo agency (old completed jobs closing themselves) is
    // done and read first, so that only this test's change is news.
    plumbline_service::background::run_due_work(&store, Utc::now()).await?;
    Sql::new("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
        .bind(Utc::now().timestamp())
        .bind(contractor)
        .execute(&store)
        .await?;
    app.sign_in_as(UserId(contractor)).await?;
    app.wait_for("[data-testid=contractor-tiles]").await?;
    assert!(app.find_all("[data-testid=bell-count]").await?.is_empty(), "nothing unread yet");

    // Staff, in another process on the same store, assign the job to this contractor.
    step_as_staff(&store, order, Step::Assign { contractor: UserId(contractor) }).await?;
    let title = format!("Contractor assigned · {reference}");
    let seen = wait_for_received(|seen| seen.iter().any(|(_, summary, _)| *summary == title)).await?;
    let (app_name, _, body) = seen.iter().find(|(_, summary, _)| *summary == title).context("found")?;
    assert_eq!(app_name, "Plumbline");
    assert!(body.starts_with(&what), "the body names the job: {body}");
    app.wait_for_text("[data-testid=bell-count]", |t| t == "1").await?;

    // Clicking it opens the order and clears the count.
    app.wait_for("[data-testid=bell]").await?.click().await?;
    app.save_screen("bell").await?;
    app.wait_for(".notification.unread").await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    for _ in 0..50 {
        if app.find_all("[data-testid=bell-count]").await?.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(app.find_all("[data-testid=bell-count]").await?.is_empty(), "read on opening");

    // Esc, or a click anywhere else, closes the panel, as any popover.
    app.wait_for("[data-testid=bell]").await?.click().await?;
    app.wait_for("[data-testid=notifications]").await?;
    app.press(&Key::Escape).await?;
    app.wait_for_gone("[data-testid=notifications]").await.context("Esc closes the notifications")?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    app.wait_for("[data-testid=bell]").await?.click().await?;
    app.wait_for("[data-testid=notifications]").await?;
    app.wait_for("[data-testid=bell-backdrop]").await?.click().await?;
    app.wait_for_gone("[data-testid=notifications]").await.context("a click outside closes the notifications")?;

    // With desktop notifications off, the bell still counts but the desktop stays quiet.
    app.wait_for("[data-testid=bell]").await?.click().await?;
    app.wait_for("[data-testid=desktop-notifications]").await?.click().await?;
    for _ in 0..50 {
        if !plumbline_service::notifications::desktop_enabled(&store, UserId(contractor)).await? {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let reason = "Tenant reports water near the fuse box".to_owned();
    step_as_staff(&store, order, Step::SetPriority { priority: Priority::Emergency, reason }).await?;
    app.wait_for_text("[data-testid=bell-count]", |t| t == "1").await?;
    // The app decides on the desktop notification before telling the window. The bell's
    // first count may come from its own reload after the switch, though, so a second
    // change is counted too: that count comes only from the app telling the window, and
    // the app decides on every notification newer than the last it decided on. Then turn
    // them back on and wait for the next change's, to see that neither was shown.
    let reason = "An electrician made it safe".to_owned();
    step_as_staff(&store, order, Step::SetPriority { priority: Priority::Urgent, reason }).await?;
    app.wait_for_text("[data-testid=bell-count]", |t| t == "2").await?;
    if app.find_all("[data-testid=desktop-notifications]").await?.is_empty() {
        app.wait_for("[data-testid=bell]").await?.click().await?;
    }
    app.wait_for("[data-testid=desktop-notifications]").await?.click().await?;
    for _ in 0..50 {
        if plumbline_service::notifications::desktop_enabled(&store, UserId(contractor)).await? {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    step_as_staff(&store, order, Step::Cancel { reason: "The tenant fixed it".into() }).await?;
    let cancelled = format!("Order cancelled · {reference}");
    let seen = wait_for_received(|seen| seen.iter().any(|(_, summary, _)| *summary == cancelled)).await?;
    let priority = format!("Priority changed · {reference}");
    assert!(
        !seen.iter().any(|(_, summary, _)| *summary == priority),
        "no desktop notification while turned off: {seen:?}"
    );
    app.finish().await
}
