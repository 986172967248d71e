//! Every report on a small agency whose figures were worked out by hand: three months,
//! one property of two flats, two contractors, five requests.

use super::*;
use crate::api::{Chart, Figure, Table};

const HOUR: i64 = 3_600;

fn at(text: &str) -> DateTime<Utc> {
    format!("{text}:00Z").parse().expect("a time in the test")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date in the test")
}

fn filter() -> ReportFilter {
    ReportFilter {
        from: date("2026-01-01"),
        to: date("2026-03-31"),
        landlord: None,
        property: None,
        category: None,
        priority: None,
        repeat_months: 6,
    }
}

fn names() -> Names {
    let (plumbing, heating, leak, boiler) = (CategoryId(1), CategoryId(2), CategoryId(11), CategoryId(21));
    Names {
        categories: [(plumbing, "Plumbing"), (heating, "Heating"), (leak, "Leak"), (boiler, "Boiler")]
            .map(|(id, name)| (id, name.to_owned()))
            .into(),
        properties: [(PropertyId(100), "14 Quay Street".to_owned())].into(),
        units: [(UnitId(1000), "Flat 1"), (UnitId(1001), "Flat 2")]
            .map(|(id, label)| (id, (PropertyId(100), label.to_owned())))
            .into(),
        landlords: [(UserId(7), "Ada Landlord".to_owned())].into(),
        contractors: [(UserId(50), "Fixit Ltd".to_owned()), (UserId(51), "Dripless".to_owned())].into(),
    }
}

/// A plumbing leak at Flat 1, nothing done yet.
fn order(id: i64, opened: &str) -> OrderFacts {
    OrderFacts {
        id: WorkOrderId(id),
        opened_at: at(opened),
        state: State::New,
        priority: Priority::Urgent,
        category: CategoryId(1),
        subcategory: CategoryId(11),
        property: PropertyId(100),
        unit: UnitId(1000),
        landlord: UserId(7),
        contractor: None,
        respond_by: at(opened),
        resolve_by: at(opened),
        responded_at: None,
        completed_at: None,
        invoice_minor: None,
        paid_minor: None,
        rating: None,
        planned: false,
        work: None,
    }
}

fn work(offered: &str, accepted: &str, started: &str, sent_back: bool) -> Option<ContractorWork> {
    Some(ContractorWork {
        offered_at: Some(at(offered)),
        accepted_at: Some(at(accepted)),
        started_at: Some(at(started)),
        sent_back,
    })
}

fn agency() -> Vec<OrderFacts> {
    // A: 48 h to complete, both targets met, paid.
    let a = OrderFacts {
        state: State::Closed,
        contractor: Some(UserId(50)),
        respond_by: at("2026-01-05T13:00"),
        responded_at: Some(at("2026-01-05T10:00")),
        resolve_by: at("2026-01-08T09:00"),
        completed_at: Some(at("2026-01-07T09:00")),
        invoice_minor: Some(12_000),
        paid_minor: Some(12_000),
        rating: Some(4),
        work: work("2026-01-05T10:00", "2026-01-05T12:00", "2026-01-06T09:00", false),
        ..order(1, "2026-01-05T09:00")
    };
    // B: the same leak again a month later; both targets missed, sent back once, unpaid.
    let b = OrderFacts {
        state: State::Closed,
        contractor: Some(UserId(50)),
        respond_by: at("2026-02-02T13:00"),
        responded_at: Some(at("2026-02-02T15:00")),
        resolve_by: at("2026-02-05T09:00"),
        completed_at: Some(at("2026-02-06T09:00")),
        invoice_minor: Some(20_000),
        rating: Some(2),
        work: work("2026-02-02T15:00", "2026-02-03T15:00", "2026-02-04T09:00", true),
        ..order(2, "2026-02-02T09:00")
    };
    // C: a boiler emergency at Flat 2, done in 6 h.
    let c = OrderFacts {
        state: State::Closed,
        priority: Priority::Emergency,
        category: CategoryId(2),
        subcategory: CategoryId(21),
        unit: UnitId(1001),
        contractor: Some(UserId(51)),
        respond_by: at("2026-02-10T10:00"),
        responded_at: Some(at("2026-02-10T09:30")),
        resolve_by: at("2026-02-10T21:00"),
        completed_at: Some(at("2026-02-10T15:00")),
        invoice_minor: Some(30_000),
        paid_minor: Some(30_000),
        rating: Some(5),
        work: work("2026-02-10T09:30", "2026-02-10T09:45", "2026-02-10T11:00", false),
        ..order(3, "2026-02-10T09:00")
    };
    // D: a leak at Flat 2 nobody has answered (response missed; resolution still on time).
    let d = OrderFacts {
        priority: Priority::Routine,
        unit: UnitId(1001),
        respond_by: at("2026-03-04T09:00"),
        resolve_by: at("2026-03-17T09:00"),
        ..order(4, "2026-03-03T09:00")
    };
    // E: cancelled while Dripless had it: no fault, but a job Dripless did not finish.
    let e = OrderFacts {
        state: State::Cancelled,
        priority: Priority::Routine,
        contractor: Some(UserId(51)),
        respond_by: at("2026-03-06T09:00"),
        resolve_by: at("2026-03-19T09:00"),
        ..order(5, "2026-03-05T09:00")
    };
    vec![a, b, c, d, e]
}

fn report(kind: ReportKind) -> Report {
    let (filter, calendar, names) = (filter(), WorkingCalendar::uk_default(), names());
    let context =
        Context { filter: &filter, calendar: &calendar, names: &names, now: at("2026-03-10T09:00"), currency: "GBP" };
    compute(kind, &agency(), &context)
}

fn figures(figures: &[Figure]) -> Vec<(&str, String)> {
    figures.iter().map(|f| (f.label.as_str(), f.value.show("GBP"))).collect()
}

/// The table's rows as shown, each joined with " | ".
fn rows(table: &Table) -> Vec<String> {
    table.rows.iter().map(|row| row.iter().map(|cell| cell.show("GBP")).collect::<Vec<_>>().join(" | ")).collect()
}

fn values(chart: &Chart, series: usize) -> Vec<Option<i64>> {
    chart.series[series].values.clone()
}

#[test]
fn time_to_complete_averages_request_to_completion() {
    let report = report(ReportKind::TimeToClose);
    assert_eq!(report.period, "Orders raised 1 Jan 2026 – 31 Mar 2026");
    // 48 h, 96 h and 6 h: mean 50 h, median 48 h; two of three within target.
    assert_eq!(
        figures(&report.figures),
        [
            ("Completed", "3".into()),
            ("Mean", "2.1 days".into()),
            ("Median", "2.0 days".into()),
            ("Within resolution target", "66.7%".into())
        ]
    );
    assert_eq!(
        rows(&report.table),
        [
            "Category | Heating | 1 | 6.0 h | 6.0 h | 100.0%",
            "Category | Plumbing | 2 | 3.0 days | 3.0 days | 50.0%",
            "Priority | Emergency | 1 | 6.0 h | 6.0 h | 100.0%",
            "Priority | Urgent | 2 | 3.0 days | 3.0 days | 50.0%",
            "Priority | Routine | 0 | — | — | —",
            "Month | Jan 2026 | 1 | 2.0 days | 2.0 days | 100.0%",
            "Month | Feb 2026 | 2 | 2.1 days | 2.1 days | 50.0%",
            "Month | Mar 2026 | 0 | — | — | —",
        ]
    );
    assert_eq!(values(&report.charts[0], 1), [Some(48 * HOUR), Some(51 * HOUR), None]);
    assert_eq!(report.charts[1].labels, ["Heating", "Plumbing"]);
}

#[test]
fn sla_counts_only_clocks_that_have_stopped_or_run_out() {
    let report = report(ReportKind::Sla);
    // Responses: A and C in time, B late, D unanswered past its target; E was cancelled.
    // Resolutions: A and C in time, B late; D's clock is still running.
    assert_eq!(
        figures(&report.figures),
        [
            ("Responses due", "4".into()),
            ("Response target met", "50.0%".into()),
            ("Resolutions due", "3".into()),
            ("Resolution target met", "66.7%".into())
        ]
    );
    let priorities: Vec<String> = rows(&report.table).into_iter().filter(|r| r.starts_with("Priority")).collect();
    assert_eq!(
        priorities,
        [
            "Priority | Emergency | 1 | 1 | 100.0% | 1 | 1 | 100.0%",
            "Priority | Urgent | 2 | 1 | 50.0% | 2 | 1 | 50.0%",
            "Priority | Routine | 1 | 0 | 0.0% | 0 | 0 | —",
        ]
    );
    assert_eq!(values(&report.charts[0], 0), [Some(1000), Some(500), Some(0)]);
}

#[test]
fn repeats_find_the_unit_the_property_and_the_contractor_back() {
    let report = report(ReportKind::Repeats);
    assert_eq!(
        figures(&report.figures),
        [
            ("Repeat requests", "1".into()),
            ("Share of requests", "25.0%".into()),
            ("Units with a repeat", "1".into()),
            ("Contractor returns", "1".into())
        ]
    );
    assert_eq!(
        rows(&report.table),
        [
            "Same unit | 14 Quay Street, Flat 1 | Plumbing | — | 2 | 1 | 1 | 2 Feb 2026 | PL-000002 PL-000001",
            "Across a property | 14 Quay Street | Plumbing | — | 3 | — | 2 | 3 Mar 2026 | PL-000004 PL-000002 PL-000001",
            "Same contractor back | 14 Quay Street, Flat 1 | Plumbing / Leak | Fixit Ltd | 2 | 1 | 1 | 2 Feb 2026 | PL-000002 PL-000001",
        ]
    );
}

#[test]
fn a_repeat_further_apart_than_the_window_is_not_one() {
    let (mut filter, calendar, names) = (filter(), WorkingCalendar::uk_default(), names());
    filter.repeat_months = 1;
    let context =
        Context { filter: &filter, calendar: &calendar, names: &names, now: at("2026-03-10T09:00"), currency: "GBP" };
    // A (5 Jan) and B (2 Feb) are within a month; stretch B to 6 Feb and they are not.
    let mut orders = agency();
    orders[1].opened_at = at("2026-02-06T09:00");
    let report = compute(ReportKind::Repeats, &orders, &context);
    assert_eq!(report.figures[0].value.show("GBP"), "0");
}

#[test]
fn planned_visits_are_neither_repeats_nor_what_a_repeat_repeats() {
    // A Fixit drain visit at Flat 1 between the leaks A and B; two boiler services at
    // Flat 1, a month apart (Flat 2's boiler, C, is a fault). Were they faults, Flat 1
    // would have three plumbing repeats, a heating repeat and Fixit back twice, and
    // heating would be a fault across the property.
    let planned = |id, opened, category, subcategory, contractor| OrderFacts {
        state: State::Closed,
        priority: Priority::Routine,
        category: CategoryId(category),
        subcategory: CategoryId(subcategory),
        contractor,
        planned: true,
        ..order(id, opened)
    };
    let drain_visit = OrderFacts {
        completed_at: Some(at("2026-01-20T15:00")),
        ..planned(6, "2026-01-20T09:00", 1, 11, Some(UserId(50)))
    };
    let mut orders = agency();
    orders.extend([
        drain_visit,
        planned(7, "2026-01-12T09:00", 2, 21, None),
        planned(8, "2026-02-12T09:00", 2, 21, None),
    ]);
    let (filter, calendar, names) = (filter(), WorkingCalendar::uk_default(), names());
    let context =
        Context { filter: &filter, calendar: &calendar, names: &names, now: at("2026-03-10T09:00"), currency: "GBP" };
    let with_visits = compute(ReportKind::Repeats, &orders, &context);
    // The same as without them, to the share of requests (1 of the 4 faults).
    assert_eq!(with_visits, report(ReportKind::Repeats));
    // Still work: the visit done counts where work done is counted (with A, B and C).
    let completed = compute(ReportKind::TimeToClose, &orders, &context);
    assert_eq!(completed.figures[0].value.show("GBP"), "4");
}

#[test]
fn contractors_are_judged_on_their_own_jobs() {
    let report = report(ReportKind::Contractors);
    assert_eq!(
        rows(&report.table),
        [
            // C: 15 min to accept, 2 h to site, fixed first time; E cancelled while theirs.
            "Dripless | 2 | 15 min | 2.0 h | 50.0% | 100.0% | 5.0 / 5 | 1 | £300.00",
            // A and B: 2 h and 24 h to accept, 24 h and 48 h to site; B was sent back.
            "Fixit Ltd | 2 | 13.0 h | 36.0 h | 100.0% | 50.0% | 3.0 / 5 | 2 | £160.00",
        ]
    );
    assert_eq!(
        figures(&report.figures),
        [
            ("Contractors", "2".into()),
            ("Median time to accept", "2.0 h".into()),
            ("First-time fix", "66.7%".into()),
            ("Tenant rating", "3.7 / 5".into())
        ]
    );
}

#[test]
fn spend_adds_up_invoices_and_payouts() {
    let report = report(ReportKind::Spend);
    assert_eq!(
        figures(&report.figures),
        [
            ("Jobs invoiced", "3".into()),
            ("Invoiced", "£620.00".into()),
            ("Paid", "£420.00".into()),
            ("Average per job", "£206.67".into())
        ]
    );
    assert_eq!(
        rows(&report.table),
        [
            "Property | 14 Quay Street | 3 | £620.00 | £420.00 | £206.67",
            "Landlord | Ada Landlord | 3 | £620.00 | £420.00 | £206.67",
            "Category | Heating | 1 | £300.00 | £300.00 | £300.00",
            "Category | Plumbing | 2 | £320.00 | £120.00 | £160.00",
            "Month | Jan 2026 | 1 | £120.00 | £120.00 | £120.00",
            "Month | Feb 2026 | 2 | £500.00 | £300.00 | £250.00",
            "Month | Mar 2026 | 0 | £0.00 | £0.00 | —",
        ]
    );
}

#[test]
fn a_filter_must_make_sense() {
    let mut backwards = filter();
    backwards.to = date("2025-12-31");
    assert_eq!(check_filter(&backwards), Err("the period ends before it starts".into()));
    let mut too_long = filter();
    too_long.from = date("2020-01-01");
    assert!(check_filter(&too_long).is_err());
    let mut no_window = filter();
    no_window.repeat_months = 0;
    assert!(check_filter(&no_window).is_err());
    assert_eq!(check_filter(&filter()), Ok(()));
}

#[test]
fn csv_headings_name_their_unit() {
    let report = report(ReportKind::TimeToClose);
    assert_eq!(csv_heading(&report.table, 3, "GBP"), "Mean (hours)");
    assert_eq!(csv_heading(&report.table, 5, "GBP"), "Within target (%)");
    assert_eq!(csv_heading(&report.table, 1, "GBP"), "Group");
}

#[test]
fn the_screen_opens_on_the_twelve_months_to_today() {
    let opened_on = ReportFilter::twelve_months_to(date("2026-12-04"));
    assert_eq!((opened_on.from, opened_on.to), (date("2026-01-01"), date("2026-12-04")));
    let in_march = ReportFilter::twelve_months_to(date("2026-03-31"));
    assert_eq!(in_march.from, date("2025-04-01"));
}

#[test]
fn a_large_agencys_spend_lists_the_properties_that_spent_most() {
    let (filter, calendar, mut names) = (filter(), WorkingCalendar::uk_default(), names());
    let orders: Vec<OrderFacts> = (0..120)
        .map(|i| {
            names.properties.insert(PropertyId(i), format!("{i} High Street"));
            OrderFacts { property: PropertyId(i), invoice_minor: Some(100 * (i + 1)), ..order(i, "2026-01-05T09:00") }
        })
        .collect();
    let context =
        Context { filter: &filter, calendar: &calendar, names: &names, now: at("2026-03-10T09:00"), currency: "GBP" };
    let report = compute(ReportKind::Spend, &orders, &context);
    let properties: Vec<String> = rows(&report.table).into_iter().filter(|r| r.starts_with("Property")).collect();
    assert_eq!(properties.len(), crate::api::MAX_PATTERN_ROWS);
    assert!(properties[0].starts_with("Property | 119 High Street | 1 | £120.00"), "{}", properties[0]);
    assert_eq!(report.table.note.as_deref(), Some("Property: the 100 largest of 120."));
}
