//! The reports (#19) read from a real store: a small agency of its own in early 2027
//! (after everything the demo holds), worked through the real use cases at known times,
//! so each figure below was worked out by hand.

use crate::fixtures::{Cast, cast, home_of, pence, subcategory};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use plumbline_domain::api::{
    ActOnWorkOrder, ErrorCode, Field, RecordPayout, Report, ReportFilter, ReportKind, ReportRequest, ScheduleInput,
    Step, SubmitRequest,
};
use plumbline_domain::ids::ScheduleId;
use plumbline_domain::planned::Recurrence;
use plumbline_domain::{Actor, Priority, Severity, WorkOrderId};
use plumbline_service::{Store, payments, planned, reports, work_orders};

fn at(text: &str) -> DateTime<Utc> {
    format!("{text}:00Z").parse().expect("a time in the test")
}

fn hours(n: i64) -> Duration {
    Duration::hours(n)
}

/// After all three orders' clocks have run out.
fn report_time() -> DateTime<Utc> {
    at("2027-04-01T09:00")
}

fn first_quarter(kind: ReportKind) -> ReportRequest {
    let day = |text: &str| text.parse::<NaiveDate>().expect("a date");
    ReportRequest {
        kind,
        filter: ReportFilter {
            from: day("2027-01-01"),
            to: day("2027-03-31"),
            landlord: None,
            property: None,
            category: None,
            priority: None,
            repeat_months: 6,
        },
    }
}

async fn step(store: &Store, actor: Actor, id: WorkOrderId, when: DateTime<Utc>, step: Step) {
    let version = crate::fixtures::version_of(store, id).await;
    work_orders::act(store, actor, when, &ActOnWorkOrder { id, version, step }).await.expect("step taken");
}

async fn blocked_drain(
    store: &Store,
    tenant: Actor,
    tenancy: plumbline_domain::ids::TenancyId,
    when: DateTime<Utc>,
) -> WorkOrderId {
    let request = SubmitRequest {
        tenancy,
        subcategory: subcategory(store, "Blocked drain").await,
        severity: Severity::Routine,
        description: "Shower drains slowly".into(),
        access: None,
    };
    work_orders::submit(store, tenant, when, &request).await.expect("submit").id
}

/// Assigned an hour in, accepted `accept` hours in, on site `start` hours in, completed
/// `complete` hours in for £125.
async fn done(
    store: &Store,
    cast: &Cast,
    id: WorkOrderId,
    opened: DateTime<Utc>,
    accept: i64,
    start: i64,
    complete: i64,
) {
    let contractor = cast.contractor;
    step(store, cast.staff, id, opened + hours(1), Step::Assign { contractor: contractor.user_id }).await;
    step(store, contractor, id, opened + hours(accept), Step::Accept).await;
    step(
        store,
        contractor,
        id,
        opened + hours(accept),
        Step::Schedule { start: opened + hours(start), end: opened + hours(start + 2) },
    )
    .await;
    step(store, contractor, id, opened + hours(start), Step::Start).await;
    let complete_step = Step::Complete { notes: "Cleared".into(), invoice_minor: pence(12_500), approve_overrun: None };
    step(store, contractor, id, opened + hours(complete), complete_step).await;
}

/// X: a drain cleared in 48 h, closed, rated 4 and paid. Y: the same drain a month
/// later, done in 6 h, sent back, done again at 8 h. Z: the other landlord's tenant's
/// request nobody answered.
async fn small_agency(store: &Store, cast: &Cast) -> [WorkOrderId; 3] {
    let x_opened = at("2027-01-04T09:00");
    let x = blocked_drain(store, cast.tenant, cast.tenancy, x_opened).await;
    done(store, cast, x, x_opened, 3, 24, 48).await;
    step(store, cast.staff, x, x_opened + hours(50), Step::Close { note: "Checked".into() }).await;
    step(store, cast.tenant, x, x_opened + hours(51), Step::Rate { stars: 4, comment: "Quick".into() }).await;
    let payout = RecordPayout { id: x, reference: "BACS-1".into(), paid_on: "2027-01-11".parse().expect("a date") };
    payments::record_payout(store, cast.staff, x_opened + hours(200), &payout).await.expect("paid");

    let y_opened = at("2027-02-01T09:00");
    let y = blocked_drain(store, cast.tenant, cast.tenancy, y_opened).await;
    done(store, cast, y, y_opened, 2, 4, 6).await;
    step(store, cast.staff, y, y_opened + hours(7), Step::Reopen { reason: "Still slow".into() }).await;
    let again =
        Step::Complete { notes: "Cleared properly".into(), invoice_minor: pence(12_500), approve_overrun: None };
    step(store, cast.contractor, y, y_opened + hours(8), again).await;

    let z = blocked_drain(store, cast.other_tenant, cast.other_tenancy, at("2027-03-01T09:00")).await;
    [x, y, z]
}

async fn report(store: &Store, actor: Actor, request: &ReportRequest) -> Report {
    reports::report(store, actor, report_time(), request).await.expect("a report")
}

fn figure(report: &Report, label: &str) -> String {
    let figure = report.figures.iter().find(|f| f.label == label).unwrap_or_else(|| panic!("no figure {label}"));
    figure.value.show(&report.currency)
}

/// The row of `section` named `group`, as shown.
fn row(report: &Report, first: &str, second: &str) -> Vec<String> {
    let shown =
        |row: &Vec<plumbline_domain::api::Cell>| row.iter().map(|c| c.show(&report.currency)).collect::<Vec<_>>();
    report
        .table
        .rows
        .iter()
        .map(shown)
        .find(|cells| cells[0] == first && cells[1] == second)
        .unwrap_or_else(|| panic!("no row {first} / {second}"))
}

#[tokio::test]
async fn each_report_adds_up_the_small_agency_as_worked_by_hand() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    small_agency(store, &cast).await;

    // X took 48 h and Y 8 h (its last completion): mean and median 28 h.
    let time = report(store, cast.staff, &first_quarter(ReportKind::TimeToClose)).await;
    assert_eq!(figure(&time, "Completed"), "2");
    assert_eq!(figure(&time, "Mean"), "28.0 h");
    assert_eq!(row(&time, "Month", "Feb 2027")[2..5], ["1", "8.0 h", "8.0 h"]);
    assert_eq!(row(&time, "Month", "Mar 2027")[2..5], ["0", "—", "—"]);

    // X and Y were answered within the hour; Z never was.
    let sla = report(store, cast.staff, &first_quarter(ReportKind::Sla)).await;
    assert_eq!(figure(&sla, "Responses due"), "3");
    assert_eq!(figure(&sla, "Response target met"), "66.7%");

    // Y is X again within six months, by the same contractor.
    let repeats = report(store, cast.staff, &first_quarter(ReportKind::Repeats)).await;
    assert_eq!(figure(&repeats, "Repeat requests"), "1");
    assert_eq!(figure(&repeats, "Contractor returns"), "1");
    let same_unit = &repeats.table.rows[0];
    assert_eq!(same_unit[4].show("GBP"), "2", "{same_unit:?}");

    // Accepted 2 h and 1 h after being offered; on site 24 h and 4 h after the request;
    // Y was sent back once; one rating of 4; £125 a job.
    let contractors = report(store, cast.staff, &first_quarter(ReportKind::Contractors)).await;
    assert_eq!(contractors.table.rows.len(), 1, "only the cast's contractor had work");
    let theirs: Vec<String> = contractors.table.rows[0][1..].iter().map(|c| c.show("GBP")).collect();
    assert_eq!(theirs, ["2", "1.5 h", "14.0 h", "100.0%", "50.0%", "4.0 / 5", "1", "£125.00"]);

    let spend = report(store, cast.staff, &first_quarter(ReportKind::Spend)).await;
    assert_eq!(figure(&spend, "Invoiced"), "£250.00");
    assert_eq!(figure(&spend, "Paid"), "£125.00");
}

/// A schedule at the cast's tenant's unit visiting on `days` (raised a week ahead).
async fn schedule(store: &Store, cast: &Cast, kind: &str, days: &[&str]) -> ScheduleId {
    let (unit, property) = home_of(store, cast.tenancy).await;
    let input = ScheduleInput {
        property,
        unit: Some(unit),
        subcategory: subcategory(store, kind).await,
        title: format!("{kind} check"),
        description: "A routine visit.".into(),
        recurrence: Recurrence::OnDates(days.iter().map(|day| day.parse().expect("a date")).collect()),
        lead_days: 7,
    };
    planned::add(store, cast.staff, now(), &input).await.expect("scheduled").summary.id
}

#[tokio::test]
async fn planned_visits_are_work_but_no_repeat_faults() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    small_agency(store, &cast).await;
    let without_visits = report(store, cast.staff, &first_quarter(ReportKind::Repeats)).await;

    // Drain visits at X and Y's unit, one between them, one after; two boiler services.
    let drains = schedule(store, &cast, "Blocked drain", &["2027-01-25", "2027-03-01"]).await;
    schedule(store, &cast, "Boiler", &["2027-01-20", "2027-03-10"]).await;
    for raised in ["2027-01-13", "2027-01-18", "2027-02-22", "2027-03-03"] {
        planned::raise_due(store, at(&format!("{raised}T09:00"))).await.expect("raised");
    }
    // X and Y's contractor clears the drain on the first visit.
    let visits = planned::detail(store, cast.staff, drains).await.expect("the schedule").orders;
    let first = visits.last().expect("raised on 18 January").id;
    done(store, &cast, first, at("2027-01-18T09:00"), 2, 4, 6).await;

    // Still 1 repeat (Y) of the 3 requests, 1 return; nothing else differs.
    let repeats = report(store, cast.staff, &first_quarter(ReportKind::Repeats)).await;
    assert_eq!(figure(&repeats, "Repeat requests"), "1");
    assert_eq!(figure(&repeats, "Share of requests"), "33.3%");
    assert_eq!(figure(&repeats, "Contractor returns"), "1");
    assert_eq!(repeats, without_visits);
    // The visit done is work done, like X and Y.
    let time = report(store, cast.staff, &first_quarter(ReportKind::TimeToClose)).await;
    assert_eq!(figure(&time, "Completed"), "3");
    let spend = report(store, cast.staff, &first_quarter(ReportKind::Spend)).await;
    assert_eq!(figure(&spend, "Invoiced"), "£375.00");
}

#[tokio::test]
async fn a_landlord_reports_on_their_own_properties_only() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    small_agency(store, &cast).await;

    let theirs = report(store, cast.landlord, &first_quarter(ReportKind::Sla)).await;
    assert_eq!(figure(&theirs, "Responses due"), "2", "Z is another landlord's");
    assert_eq!(figure(&theirs, "Response target met"), "100.0%");
    // Asking for another landlord's figures finds nothing rather than theirs.
    let mut other = first_quarter(ReportKind::Sla);
    other.filter.landlord = Some(cast.other_landlord.user_id);
    assert_eq!(figure(&report(store, cast.landlord, &other).await, "Responses due"), "0");
    let spend = report(store, cast.landlord, &first_quarter(ReportKind::Spend)).await;
    assert!(spend.table.rows.iter().filter(|r| r[0].show("GBP") == "Landlord").count() <= 1);

    let refused = reports::report(store, cast.contractor, report_time(), &first_quarter(ReportKind::Spend)).await;
    assert_eq!(plumbline_domain::api::CommandError::from(refused.unwrap_err()).code, ErrorCode::NotAllowed);
}

#[tokio::test]
async fn filters_narrow_every_report() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    small_agency(store, &cast).await;

    let mut urgent = first_quarter(ReportKind::Sla);
    urgent.filter.priority = Some(Priority::Urgent);
    assert_eq!(figure(&report(store, cast.staff, &urgent).await, "Responses due"), "0", "all three are routine");
    let mut january = first_quarter(ReportKind::Spend);
    january.filter.to = "2027-01-31".parse().expect("a date");
    assert_eq!(figure(&report(store, cast.staff, &january).await, "Invoiced"), "£125.00");
    let mut their_landlord = first_quarter(ReportKind::Sla);
    their_landlord.filter.landlord = Some(cast.other_landlord.user_id);
    assert_eq!(figure(&report(store, cast.staff, &their_landlord).await, "Responses due"), "1");
}

#[tokio::test]
async fn a_period_that_cannot_be_reported_on_is_refused_by_name() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let mut backwards = first_quarter(ReportKind::TimeToClose);
    backwards.filter.to = "2026-12-01".parse().expect("a date");
    let error = plumbline_domain::api::CommandError::from(
        reports::report(store, cast.staff, report_time(), &backwards).await.unwrap_err(),
    );
    assert_eq!((error.code, error.field), (ErrorCode::Validation, Some(Field::Period)));
    assert_eq!(error.message, "The period ends before it starts");
}

#[tokio::test]
async fn a_reports_csv_has_the_screens_rows_and_columns() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    small_agency(store, &cast).await;
    for kind in ReportKind::ALL {
        let shown = report(store, cast.staff, &first_quarter(kind)).await;
        let csv = reports::report_csv(&shown).expect("written");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headings: Vec<String> = reader.headers().expect("a heading").iter().map(String::from).collect();
        assert_eq!(headings.len(), shown.table.columns.len(), "{kind:?}");
        for (heading, column) in headings.iter().zip(&shown.table.columns) {
            assert!(heading.starts_with(column.as_str()), "{heading} for {column}");
        }
        let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("records");
        assert_eq!(records.len(), shown.table.rows.len(), "{kind:?}");
        for (record, row) in records.iter().zip(&shown.table.rows) {
            let cells: Vec<String> = row.iter().map(|c| c.csv()).collect();
            assert_eq!(record.iter().collect::<Vec<_>>(), cells, "{kind:?}");
        }
    }
    let spend = report(store, cast.staff, &first_quarter(ReportKind::Spend)).await;
    let csv = reports::report_csv(&spend).expect("written");
    assert!(csv.starts_with("By,Group,Jobs invoiced,Invoiced (GBP),Paid (GBP),Average per job (GBP)\n"), "{csv}");
    assert!(csv.contains("\nMonth,Jan 2027,1,125.00,125.00,125.00\n"), "{csv}");
}
