//! Emergencies that reach a person, in the real app with a real notification daemon and
//! a real SMTP server: staff on duty (desktop notifications otherwise off) get a tenant's
//! after-hours emergency as a critical desktop alert the moment another desk submits it,
//! and the escalation contact's mailbox gets it too; left unanswered past its response
//! target, the engine escalates it again and the order's history says so. On this
//! computer and through an agency server.

use crate::agency_server::{connect, email_of};
use crate::harness::{App, Launch};
use crate::notifications::{NotifyCalls, start_dunst};
use anyhow::{Context, Result, bail};
use chrono::{Duration, Utc};
use plumbline_domain::api::SubmitRequest;
use plumbline_domain::api::{MailSecurity, MailSettings};
use plumbline_domain::ids::{CategoryId, TenancyId};
use plumbline_domain::{Priority, Reference, Severity, UserId};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::mail::{self, NoPassword};
use plumbline_service::{Store, background, emergencies, notifications, settings, users, work_orders};
use plumbline_test_support::{MailServer, TestServer};

const ESCALATION: &str = "duty@harbour.example";

/// E-mail through `server`, an escalation address, and today no working day: whatever
/// the hour the test runs, it is out of hours.
async fn out_of_hours_with_mail(store: &Store, server: &MailServer) -> Result<()> {
    let (admin,): (i64,) = Sql::new("SELECT min(id) FROM users WHERE role = 'admin'").fetch_one(store).await?;
    let admin = users::actor(store, UserId(admin)).await?;
    let mail_settings = MailSettings {
        host: "127.0.0.1".into(),
        port: server.port(),
        user: String::new(),
        sender: "repairs@harbour.example".into(),
        security: MailSecurity::None,
    };
    mail::update_settings(store, admin, Utc::now(), &mail_settings).await?;
    let mut rules = settings::rules(store, admin).await?;
    rules.escalation_email = ESCALATION.into();
    let calendar = plumbline_service::agency::settings(store).await?.calendar;
    let today = calendar.local(Utc::now()).format("%a").to_string();
    let tomorrow = calendar.local(Utc::now() + Duration::days(1)).format("%a").to_string();
    rules.working_days = vec![tomorrow];
    assert_ne!(rules.working_days[0], today);
    settings::update(store, admin, Utc::now(), &rules).await?;
    Ok(())
}

/// Sends the outbox (as the engine does each minute) until the escalation address has
/// a message whose subject starts with `subject`.
async fn mailed(store: &Store, server: &MailServer, subject: &str) -> Result<String> {
    for _ in 0..50 {
        mail::send_due(store, Utc::now() + Duration::hours(6), &NoPassword).await?;
        let found =
            server.received().into_iter().find(|m| m.rcpt_tos == [ESCALATION] && m.subject.starts_with(subject));
        if let Some(message) = found {
            return Ok(message.body);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    bail!("no message {subject:?} for {ESCALATION}: {:?}", server.received())
}

/// A tenant's emergency, submitted by another desk on the same agency.
async fn emergency(store: &Store) -> Result<(Reference, chrono::DateTime<Utc>)> {
    let (tenancy, tenant, subcategory): (i64, i64, i64) = Sql::new(
        "SELECT t.id, t.tenant_id, (SELECT min(id) FROM categories WHERE name = 'Leak')
         FROM tenancies t WHERE t.ended_on IS NULL ORDER BY t.id LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    let request = SubmitRequest {
        tenancy: TenancyId(tenancy),
        subcategory: CategoryId(subcategory),
        severity: Severity::Emergency,
        description: "Water is pouring through the kitchen ceiling".into(),
        access: None,
    };
    let tenant = users::actor(store, UserId(tenant)).await?;
    let submitted = work_orders::submit(store, tenant, Utc::now(), &request).await?;
    assert_eq!(submitted.priority, Priority::Emergency);
    Ok((submitted.reference, submitted.respond_by))
}

/// Waits until `count` critical alerts titled `title` were raised.
async fn critical_alerts(calls: &NotifyCalls, title: &str, count: usize) -> Result<()> {
    for _ in 0..100 {
        if calls.critical(title)? >= count {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    bail!("{} critical alerts titled {title:?}, not {count}", calls.critical(title)?)
}

async fn reaches_the_on_duty_desk(app: &App, store: &Store, screens: &str) -> Result<()> {
    let calls = NotifyCalls::record().await?;
    let server = MailServer::start();
    out_of_hours_with_mail(store, &server).await?;
    let staff = users::first_staff(store).await?;
    // What the demo agency already had due is done first, so only this test's is news.
    background::run_due_work(store, Utc::now()).await?;
    app.sign_in(&email_of(store, staff.user_id).await?, DEMO_PASSWORD, false).await.context("signing in")?;
    app.wait_for("[data-testid=workload]").await.context("the dashboard")?;
    // Desktop notifications off; on duty (the default), which emergencies still reach.
    app.wait_for("[data-testid=bell]").await?.click().await.context("opening the bell")?;
    app.wait_for("[data-testid=on-duty]").await.context("the on-duty box")?;
    assert!(emergencies::is_on_duty(store, staff.user_id).await?, "staff are on duty unless they say not");
    app.wait_for("[data-testid=desktop-notifications]").await?.click().await.context("desktop off")?;
    for _ in 0..50 {
        if !notifications::desktop_enabled(store, staff.user_id).await? {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.wait_for("[data-testid=bell-backdrop]").await?.click().await?;

    let (reference, respond_by) = emergency(store).await?;
    let title = format!("Emergency · {reference}");
    critical_alerts(&calls, &title, 1).await.context("the on-duty desk is alerted at once")?;
    let body = mailed(store, &server, &format!("Emergency out of hours · {reference}")).await?;
    assert!(body.contains("Water is pouring through the kitchen ceiling"), "{body}");
    app.wait_for("[data-testid=bell]").await?.click().await?;
    app.wait_for_text(".notification.urgent .n-title", |t| t.contains(&title)).await?;
    app.save_screen(&format!("emergency-bell{screens}")).await?;

    // No one responds: past its target the engine escalates it, once, and says so.
    let done = background::run_due_work(store, respond_by + Duration::minutes(1)).await?.context("ran")?;
    assert!(done.escalations >= 1);
    critical_alerts(&calls, &title, 2).await.context("escalated again")?;
    mailed(store, &server, &format!("Emergency still unanswered · {reference}")).await?;
    app.wait_for(".notification.urgent").await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    app.wait_for_text("[data-testid=timeline]", |t| t.contains("No one responded by") && t.contains(ESCALATION))
        .await?;
    app.save_screen(&format!("emergency-escalated{screens}")).await?;
    Ok(())
}

#[tokio::test]
async fn on_this_computer_an_emergency_reaches_the_on_duty_desk_and_is_escalated_unanswered() -> Result<()> {
    let app = App::start("emergency", Launch::default()).await?;
    let _dunst = start_dunst(&app.display()?).await?;
    reaches_the_on_duty_desk(&app, &app.store().await?, "").await?;
    app.finish().await
}

#[tokio::test]
async fn on_an_agency_server_an_emergency_reaches_the_on_duty_desk_and_is_escalated_unanswered() -> Result<()> {
    let served = TestServer::demo().await;
    let app = App::start("emergency-server", Launch { real_store: true, ..Launch::default() }).await?;
    let _dunst = start_dunst(&app.display()?).await?;
    connect(&app, &served).await?;
    reaches_the_on_duty_desk(&app, served.store(), "-server").await?;
    app.finish().await
}
