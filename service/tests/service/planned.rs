//! Planned maintenance on a fixed clock: schedules raise exactly their occurrences'
//! orders, each its lead days ahead and once, through pauses and on both engines.

use crate::fixtures::{cast, home_of, subcategory, table_counts};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use plumbline_domain::api::{Field, ListSchedules, ScheduleDetail, ScheduleInput, SubmitRequest};
use plumbline_domain::ids::{PropertyId, UnitId};
use plumbline_domain::planned::Recurrence;
use plumbline_domain::{Priority, Severity, State, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, background, planned, work_orders};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn boiler_service(store: &Store, unit: UnitId, property: PropertyId, recurrence: Recurrence) -> ScheduleInput {
    ScheduleInput {
        property,
        unit: Some(unit),
        subcategory: subcategory(store, "Boiler").await,
        title: "Boiler service".into(),
        description: "Annual service and safety check; leave the certificate with the tenant.".into(),
        recurrence,
        lead_days: 14,
    }
}

/// The orders the schedule raised: (the occurrence, the agency-local day it was raised).
async fn raised(store: &Store, schedule: &ScheduleDetail) -> Vec<(NaiveDate, NaiveDate)> {
    let rows: Vec<(String, i64)> =
        Sql::new("SELECT planned_for, opened_at FROM work_orders WHERE schedule_id = ? ORDER BY planned_for")
            .bind(schedule.summary.id.0)
            .fetch_all(store)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(planned, opened)| (day(&planned), DateTime::<Utc>::from_timestamp(opened, 0).unwrap().date_naive()))
        .collect()
}

/// Runs the engine's planned part twice a day (an early and a late run, as a desktop and
/// the server might) from `from` for `days` days; every order raised (the demo's own
/// schedules' too) is counted once, as the store holds it.
async fn run_days(store: &Store, from: DateTime<Utc>, days: i64) {
    let before = planned_orders(store).await;
    let mut raised = 0;
    for n in 0..days {
        let morning = from + Duration::days(n);
        raised += planned::raise_due(store, morning).await.unwrap();
        raised += planned::raise_due(store, morning + Duration::hours(6)).await.unwrap();
    }
    assert_eq!(before + raised, planned_orders(store).await, "each order told once");
}

async fn planned_orders(store: &Store) -> usize {
    let (n,): (i64,) =
        Sql::new("SELECT count(*) FROM work_orders WHERE schedule_id IS NOT NULL").fetch_one(store).await.unwrap();
    usize::try_from(n).unwrap()
}

#[tokio::test]
async fn a_three_monthly_schedule_raises_each_order_its_lead_ahead_over_two_years() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (unit, property) = home_of(&test.store, cast.tenancy).await;
    let quarterly = Recurrence::Every { months: 3, first: day("2027-01-15") };
    let input = boiler_service(&test.store, unit, property, quarterly).await;
    let schedule = planned::add(&test.store, cast.staff, now(), &input).await.unwrap();
    assert_eq!(schedule.summary.recurrence_text, "Every 3 months from 15 Jan 2027");
    assert_eq!(
        (schedule.summary.next_due, schedule.summary.raise_on),
        (Some(day("2027-01-15")), Some(day("2027-01-01")))
    );
    assert_eq!(schedule.summary.orders_raised, 0, "the first is seven weeks away");

    // Two years from the test's Monday morning (09:30 UTC: the same day in the agency's zone).
    run_days(&test.store, now(), 731).await;
    let expected: Vec<(NaiveDate, NaiveDate)> = [
        "2027-01-15",
        "2027-04-15",
        "2027-07-15",
        "2027-10-15",
        "2028-01-15",
        "2028-04-15",
        "2028-07-15",
        "2028-10-15",
    ]
    .into_iter()
    .map(|d| (day(d), day(d) - Duration::days(14)))
    .collect();
    assert_eq!(raised(&test.store, &schedule).await, expected, "each occurrence once, 14 days ahead");

    let detail = planned::detail(&test.store, cast.staff, schedule.summary.id).await.unwrap();
    assert_eq!(detail.summary.orders_raised, 8);
    assert_eq!(detail.summary.next_due, Some(day("2029-01-15")));
    assert_eq!(detail.orders.len(), 8);
    assert!(detail.history[0].note.starts_with("Raised PL-"), "{:?}", detail.history[0]);
    assert!(detail.history[0].note.ends_with("for 15 Oct 2028"));
    assert_eq!(detail.history[0].by, None, "raised by the engine");

    // Each is an ordinary order, marked as planned, for the unit's tenant.
    let newest = detail.orders[0].id;
    let raised_at = now() + Duration::days(692);
    let order = work_orders::detail(&test.store, cast.staff, raised_at, newest).await.unwrap();
    assert_eq!((order.row.state, order.row.priority), (State::New, Priority::Routine));
    let mark = order.planned.expect("marked as planned");
    assert_eq!((mark.title.as_str(), mark.planned_for), ("Boiler service", day("2028-10-15")));
    assert!(order.description.starts_with("Boiler service: Annual service"));
    assert!(order.resolve_by.date_naive() >= day("2028-10-15"), "due by its day, not before");
    let tenant_sees = work_orders::detail(&test.store, cast.tenant, raised_at, newest).await;
    assert!(tenant_sees.is_ok(), "the unit's tenant follows the visit");
}

#[tokio::test]
async fn the_background_engine_raises_planned_orders() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (unit, property) = home_of(&test.store, cast.tenancy).await;
    let on = Recurrence::OnDates(vec![day("2026-12-20")]);
    let schedule = planned::add(&test.store, cast.staff, now(), &boiler_service(&test.store, unit, property, on).await)
        .await
        .unwrap();
    let done = background::run_due_work(&test.store, now() + Duration::days(13)).await.unwrap().unwrap();
    assert_eq!(done.planned_orders, planned_orders(&test.store).await, "the demo's own are due too");
    assert_eq!(raised(&test.store, &schedule).await, [(day("2026-12-20"), day("2026-12-06"))]);
    let after = planned::detail(&test.store, cast.staff, schedule.summary.id).await.unwrap();
    assert_eq!((after.summary.next_due, after.summary.raise_on), (None, None), "nothing left to raise");
}

#[tokio::test]
async fn an_occurrence_within_its_lead_is_raised_when_the_schedule_is_made() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (unit, property) = home_of(&test.store, cast.tenancy).await;
    let soon = Recurrence::Every { months: 12, first: now().date_naive() + Duration::days(5) };
    let schedule =
        planned::add(&test.store, cast.staff, now(), &boiler_service(&test.store, unit, property, soon).await)
            .await
            .unwrap();
    assert_eq!(schedule.summary.orders_raised, 1);
    assert_eq!(schedule.orders[0].state, State::New);
    assert_eq!(planned::raise_due(&test.store, now()).await.unwrap(), 0, "not twice");
}

#[tokio::test]
async fn a_paused_schedule_raises_nothing_and_resuming_skips_what_fell_meanwhile() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (unit, property) = home_of(&test.store, cast.tenancy).await;
    let monthly = Recurrence::Every { months: 1, first: day("2026-12-10") };
    let mut input = boiler_service(&test.store, unit, property, monthly).await;
    input.lead_days = 7;
    let schedule = planned::add(&test.store, cast.staff, now(), &input).await.unwrap();
    let id = schedule.summary.id;
    let paused = planned::set_paused(&test.store, cast.staff, now(), id, true).await.unwrap();
    assert!(paused.summary.paused);
    run_days(&test.store, now(), 89).await;
    assert_eq!(raised(&test.store, &schedule).await, [], "paused through 20 February");

    let resumed_at = day_at("2027-02-20");
    let resumed = planned::set_paused(&test.store, cast.staff, resumed_at, id, false).await.unwrap();
    assert_eq!(resumed.summary.next_due, Some(day("2027-03-10")));
    assert_eq!(
        resumed.history[0].note,
        "Resumed; skipped what fell while it was paused: 10 Dec 2026, 10 Jan 2027, 10 Feb 2027"
    );
    assert_eq!(resumed.history[0].by_id, Some(cast.staff.user_id));
    run_days(&test.store, resumed_at, 20).await;
    assert_eq!(raised(&test.store, &schedule).await, [(day("2027-03-10"), day("2027-03-03"))]);
    // Pausing twice, or resuming a running one, changes nothing.
    let again = planned::set_paused(&test.store, cast.staff, resumed_at, id, false).await.unwrap();
    assert_eq!(again.history.len(), resumed.history.len() + 1, "only the raise since");
}

fn day_at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{text}T09:30:00Z")).unwrap().with_timezone(&Utc)
}

#[tokio::test]
async fn a_whole_property_schedule_names_no_tenant_and_its_landlord_sees_it() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (_, property) = home_of(&test.store, cast.tenancy).await;
    let gutters = ScheduleInput {
        property,
        unit: None,
        subcategory: subcategory(&test.store, "Roof and walls").await,
        title: "Clear the gutters".into(),
        description: "Clear gutters and downpipes before winter.".into(),
        recurrence: Recurrence::OnDates(vec![day("2027-10-01"), day("2027-04-01"), day("2027-10-01")]),
        lead_days: 21,
    };
    let schedule = planned::add(&test.store, cast.staff, now(), &gutters).await.unwrap();
    assert_eq!(schedule.summary.recurrence_text, "On 1 Apr 2027 and 1 Oct 2027", "sorted, once each");
    assert_eq!(schedule.summary.unit, None);
    run_days(&test.store, now(), 400).await;
    assert_eq!(raised(&test.store, &schedule).await.len(), 2);
    let order: WorkOrderId = schedule_orders(&test.store, &schedule).await[0];
    let at = day_at("2027-10-01");
    let detail = work_orders::detail(&test.store, cast.landlord, at, order).await.unwrap();
    assert_eq!(detail.tenant, None);
    assert!(work_orders::detail(&test.store, cast.tenant, at, order).await.is_err(), "no tenant's order");

    let listed = planned::list(&test.store, cast.staff, &ListSchedules { property: Some(property), paused: false })
        .await
        .unwrap();
    assert!(listed.iter().any(|s| s.id == schedule.summary.id));
}

async fn schedule_orders(store: &Store, schedule: &ScheduleDetail) -> Vec<WorkOrderId> {
    let rows: Vec<(i64,)> = Sql::new("SELECT id FROM work_orders WHERE schedule_id = ? ORDER BY id")
        .bind(schedule.summary.id.0)
        .fetch_all(store)
        .await
        .unwrap();
    rows.into_iter().map(|(id,)| WorkOrderId(id)).collect()
}

#[tokio::test]
async fn a_bad_schedule_is_refused_by_its_field_and_stores_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (unit, property) = home_of(&test.store, cast.tenancy).await;
    let (other_unit, _) = home_of(&test.store, cast.other_tenancy).await;
    let good =
        boiler_service(&test.store, unit, property, Recurrence::Every { months: 12, first: day("2027-03-01") }).await;
    let before = table_counts(&test.store).await;
    let heating = Sql::new("SELECT parent_id FROM categories WHERE id = ?")
        .bind(good.subcategory.0)
        .fetch_one::<(i64,)>(&test.store)
        .await
        .unwrap()
        .0;
    let cases: Vec<(ScheduleInput, Field, &str)> = vec![
        (ScheduleInput { title: "  ".into(), ..good.clone() }, Field::Title, "enter the schedule's name"),
        (ScheduleInput { description: String::new(), ..good.clone() }, Field::Description, "enter the work to do"),
        (
            ScheduleInput { recurrence: Recurrence::Every { months: 0, first: day("2027-03-01") }, ..good.clone() },
            Field::Every,
            "repeat every 1 to 120 months",
        ),
        (
            ScheduleInput { recurrence: Recurrence::Every { months: 6, first: day("2026-11-01") }, ..good.clone() },
            Field::FirstDue,
            "the first one cannot be in the past (today is 23 Nov 2026)",
        ),
        (
            ScheduleInput { recurrence: Recurrence::OnDates(vec![]), ..good.clone() },
            Field::Dates,
            "give at least one date",
        ),
        (ScheduleInput { lead_days: 181, ..good.clone() }, Field::LeadDays, "raise orders at most 180 days ahead"),
        (ScheduleInput { unit: Some(other_unit), ..good.clone() }, Field::Unit, "that unit is not at this property"),
        (
            ScheduleInput { subcategory: plumbline_domain::ids::CategoryId(heating), ..good.clone() },
            Field::Subcategory,
            "pick the kind of work from the list",
        ),
    ];
    for (input, field, message) in cases {
        match planned::add(&test.store, cast.staff, now(), &input).await {
            Err(ServiceError::Validation { field: got, message: said }) => {
                assert_eq!((got, said.as_str()), (field, message));
            }
            other => panic!("{field:?}: {other:?}"),
        }
    }
    for outsider in [cast.landlord, cast.tenant, cast.contractor] {
        assert!(matches!(planned::add(&test.store, outsider, now(), &good).await, Err(ServiceError::NotAllowed(_))));
        let list = planned::list(&test.store, outsider, &ListSchedules::default()).await;
        assert!(matches!(list, Err(ServiceError::NotAllowed(_))));
    }
    assert_eq!(table_counts(&test.store).await, before);
}

#[tokio::test]
async fn a_planned_visit_is_no_repeat_fault_and_has_none() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (unit, property) = home_of(&test.store, cast.tenancy).await;
    let boiler = subcategory(&test.store, "Boiler").await;
    let report = |at| {
        let request = SubmitRequest {
            tenancy: cast.tenancy,
            subcategory: boiler,
            severity: Severity::Routine,
            description: "Boiler pressure keeps dropping".into(),
            access: None,
        };
        let store = test.store.clone();
        async move { work_orders::submit(&store, cast.tenant, at, &request).await.unwrap().id }
    };
    let fault = report(now()).await;
    let soon = Recurrence::Every { months: 12, first: now().date_naive() + Duration::days(5) };
    let input = boiler_service(&test.store, unit, property, soon).await;
    let schedule = planned::add(&test.store, cast.staff, now() + Duration::hours(1), &input).await.unwrap();
    let visit = schedule.orders[0].id;
    let later = now() + Duration::hours(2);
    let visit_detail = work_orders::detail(&test.store, cast.staff, later, visit).await.unwrap();
    assert_eq!(visit_detail.repeat, None, "a booked service is not a repeat of the fault");

    let again = report(later).await;
    let repeat = work_orders::detail(&test.store, cast.staff, later, again).await.unwrap().repeat.expect("a repeat");
    let earlier: Vec<WorkOrderId> = repeat.earlier.iter().map(|e| e.id).collect();
    assert!(earlier.contains(&fault) && !earlier.contains(&visit), "{earlier:?}");
}
