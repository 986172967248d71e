//! Reports (#19), on this computer and on an agency server: each tab's figures, charts and
//! table are the service's own report for the same filter; the table saves to CSV through
//! the native dialog; every report is photographed in the light and the dark theme.

use crate::agency_server::{connect, email_of};
use crate::attachments::save_through_dialog;
use crate::harness::{App, Launch};
use anyhow::Result;
use chrono::{Local, Utc};
use plumbline_domain::api::{Report, ReportFilter, ReportKind, ReportRequest};
use plumbline_domain::{Actor, UserId};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::{Store, reports, users};
use plumbline_test_support::TestServer;

/// The page's first view: the last twelve months, this one included, nothing narrowed.
fn last_twelve_months(kind: ReportKind) -> ReportRequest {
    ReportRequest { kind, filter: ReportFilter::twelve_months_to(Local::now().date_naive()) }
}

async fn expected(store: &Store, reader: Actor, kind: ReportKind) -> Result<Report> {
    Ok(reports::report(store, reader, Utc::now(), &last_twelve_months(kind)).await?)
}

/// Opens `kind`'s tab and checks its figures, charts and table against `report`.
async fn shows(app: &App, report: &Report) -> Result<()> {
    let slug = report.kind.slug();
    app.wait_for(&format!("[data-testid=report-tab-{slug}]")).await?.click().await?;
    app.wait_for(&format!("[data-testid=report-{slug}]")).await?;
    for figure in &report.figures {
        let shown =
            app.text(&format!("[data-testid=report-figures] [data-label='{}'] .tile-count", figure.label)).await?;
        assert_eq!(shown, figure.value.show(&report.currency), "{slug}: {}", figure.label);
    }
    let charts = app.find_all(".chart").await?;
    assert_eq!(charts.len(), report.charts.len(), "{slug}: a chart each");
    for (i, chart) in report.charts.iter().enumerate() {
        let described = app
            .eval(&format!("document.querySelector('[data-testid=chart-{i}] svg title')?.textContent ?? ''"))
            .await?;
        assert!(described.as_str().unwrap_or_default().starts_with(&chart.title), "{slug}: {described}");
        let marks = app.find_all(&format!("[data-testid=chart-{i}] rect, [data-testid=chart-{i}] circle")).await?;
        let values = chart.series.iter().flat_map(|s| &s.values).filter(|v| v.is_some()).count();
        assert_eq!(marks.len(), values, "{slug}: a bar or point per value of {}", chart.title);
    }
    let rows = app.find_all("[data-testid=report-table] tbody tr:not(.section)").await?;
    assert_eq!(rows.len(), report.table.rows.len(), "{slug}: the table's rows");
    Ok(())
}

/// "Export CSV" through the native dialog: the file holds the table's rows.
async fn exports(app: &App, report: &Report) -> Result<()> {
    let (_folder, file) =
        save_through_dialog(app, "[data-testid=export-report]", "^Export report", "report.csv").await?;
    let mut reader = csv::Reader::from_path(&file)?;
    assert_eq!(reader.headers()?.len(), report.table.columns.len());
    let records: Vec<Vec<String>> =
        reader.records().map(|r| Ok(r?.iter().map(String::from).collect())).collect::<Result<_>>()?;
    let rows: Vec<Vec<String>> = report.table.rows.iter().map(|row| row.iter().map(|c| c.csv()).collect()).collect();
    assert_eq!(records, rows, "the screen's rows, as a spreadsheet reads them");
    Ok(())
}

async fn set_theme(app: &App, theme: &str) -> Result<()> {
    app.wait_for(&format!("[data-testid=theme] option[value={theme}]")).await?.click().await?;
    Ok(())
}

#[tokio::test]
async fn on_this_computer_every_report_shows_the_services_figures() -> Result<()> {
    let app = App::launch("reports").await?;
    let store = app.store().await?;
    let staff = users::first_staff(&store).await?;
    app.go_to("Reports").await?;
    for theme in ["light", "dark"] {
        set_theme(&app, theme).await?;
        for kind in ReportKind::ALL {
            let report = expected(&store, staff, kind).await?;
            shows(&app, &report).await?;
            app.save_screen(&format!("report-{}-{theme}", kind.slug())).await?;
        }
    }
    set_theme(&app, "system").await?;
    let spend = expected(&store, staff, ReportKind::Spend).await?;
    shows(&app, &spend).await?;
    exports(&app, &spend).await?;
    app.finish().await
}

/// The landlord with the most orders in the demo.
async fn busiest_landlord(store: &Store) -> Result<UserId> {
    let (id,): (i64,) = Sql::new(
        "SELECT p.landlord_id FROM work_orders w JOIN properties p ON p.id = w.property_id
         GROUP BY p.landlord_id ORDER BY count(*) DESC, p.landlord_id LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    Ok(UserId(id))
}

#[tokio::test]
async fn on_an_agency_server_a_landlord_reports_on_their_own_properties() -> Result<()> {
    let served = TestServer::demo().await;
    let app = App::start("reports-server", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    let store = served.store();
    let landlord = busiest_landlord(store).await?;
    app.sign_in(&email_of(store, landlord).await?, DEMO_PASSWORD, false).await?;
    app.go_to("Reports").await?;
    let reader = users::actor(store, landlord).await?;
    for kind in [ReportKind::Spend, ReportKind::TimeToClose] {
        let theirs = expected(store, reader, kind).await?;
        let agency = expected(store, users::first_staff(store).await?, kind).await?;
        assert_ne!(theirs.figures, agency.figures, "the landlord's figures are their own");
        shows(&app, &theirs).await?;
    }
    app.save_screen("report-landlord-server").await?;
    app.finish().await
}
