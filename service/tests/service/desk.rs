//! The staff desk's reads: list filters and sorting, the dashboard and the triage queue,
//! on the demo agency.

use crate::fixtures::{act, all_rows, cast, ids_matching, order_in, submit_routine};
use crate::support::{demo_store, now};
use chrono::Duration;
use plumbline_domain::api::{
    ContractorFilter, Field, ListCursor, ListSort, ListWorkOrders, SortColumn, SortKey, Step, TimeRange,
    WorkOrderFilter, WorkOrderRow,
};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{Actor, Priority, Role, State, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, users, work_orders};
use std::collections::{BTreeMap, BTreeSet};

fn request(filter: WorkOrderFilter, sort: ListSort, limit: u32) -> ListWorkOrders {
    ListWorkOrders { filter, sort, after: None, limit }
}

async fn ids_where(store: &Store, sql_condition: &str) -> BTreeSet<i64> {
    let sql = format!("SELECT w.id FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE {sql_condition}");
    Sql::new(&sql).fetch_all::<(i64,)>(store).await.unwrap().into_iter().map(|(id,)| id).collect()
}

#[tokio::test]
async fn the_sla_filter_selects_exactly_the_rows_wearing_that_badge() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let everything = all_rows(&test.store, staff, request(WorkOrderFilter::default(), ListSort::default(), 500)).await;
    for status in [SlaStatus::OnTrack, SlaStatus::AtRisk, SlaStatus::Breached, SlaStatus::Met, SlaStatus::NotApplicable]
    {
        let badged: BTreeSet<i64> = everything.iter().filter(|r| r.sla == status).map(|r| r.id.0).collect();
        let filter = WorkOrderFilter { sla: Some(status), ..WorkOrderFilter::default() };
        assert!(!badged.is_empty(), "the demo has no {status:?} order to test with");
        assert_eq!(ids_matching(&test.store, staff, filter).await, badged, "{status:?}");
    }
}

#[tokio::test]
async fn every_column_sorts_both_ways_and_pages_through_every_order_once() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let expected = ids_where(&test.store, "1 = 1").await;
    let resolve_by: BTreeMap<i64, i64> =
        Sql::new("SELECT id, resolve_by FROM work_orders").fetch_all(&test.store).await.unwrap().into_iter().collect();
    let columns = [
        SortColumn::Reference,
        SortColumn::Property,
        SortColumn::Issue,
        SortColumn::Priority,
        SortColumn::State,
        SortColumn::Sla,
        SortColumn::Contractor,
        SortColumn::Opened,
    ];
    for column in columns {
        for descending in [false, true] {
            let sort = ListSort { column, descending };
            let rows = all_rows(&test.store, staff, request(WorkOrderFilter::default(), sort, 37)).await;
            let ids: Vec<i64> = rows.iter().map(|r| r.id.0).collect();
            assert_eq!(ids.len(), expected.len(), "{sort:?} repeated or lost orders");
            assert_eq!(ids.iter().copied().collect::<BTreeSet<_>>(), expected, "{sort:?}");
            let keys: Vec<String> = rows.iter().map(|r| visible_key(r, column, resolve_by[&r.id.0])).collect();
            let in_order = keys.windows(2).all(|w| if descending { w[0] >= w[1] } else { w[0] <= w[1] });
            assert!(in_order, "{sort:?} is out of order");
        }
    }
}

#[tokio::test]
async fn a_first_click_on_priority_puts_the_most_urgent_first_and_the_newest_of_each_first() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let first_click = ListSort { column: SortColumn::Priority, descending: SortColumn::Priority.natural_descending() };
    let rows = all_rows(&test.store, staff, request(WorkOrderFilter::default(), first_click, 50)).await;
    assert_eq!(rows.first().map(|r| r.priority), Some(Priority::Emergency));
    assert_eq!(rows.last().map(|r| r.priority), Some(Priority::Low));
    for pair in rows.windows(2) {
        if pair[0].priority == pair[1].priority {
            assert!(pair[0].id.0 > pair[1].id.0, "{:?} ties oldest first", pair[0].priority);
        }
    }
}

/// The sorted column as the user reads it, in a form that orders like the sort;
/// `resolve_by` is the order's resolution due time (seconds), which orders each SLA badge.
fn visible_key(row: &WorkOrderRow, column: SortColumn, resolve_by: i64) -> String {
    match column {
        SortColumn::Reference => format!("{:09}", row.id.0),
        SortColumn::Property => row.property.clone(),
        SortColumn::Issue => format!("{} / {}", row.category, row.subcategory),
        SortColumn::Priority => row.priority.urgency().to_string(),
        SortColumn::State => State::ALL.iter().position(|s| *s == row.state).unwrap_or(99).to_string(),
        // Breached, at risk, on track, met, none: the badge the row shows (computed by
        // `domain::sla`), so the SQL's ranking is held to it; then the resolution due
        // time within a badge (not on the row, so read from the store).
        SortColumn::Sla => {
            let ranked =
                [SlaStatus::Breached, SlaStatus::AtRisk, SlaStatus::OnTrack, SlaStatus::Met, SlaStatus::NotApplicable];
            let rank = ranked.iter().position(|status| *status == row.sla).unwrap_or(9);
            format!("{rank} {resolve_by:012}")
        }
        SortColumn::Contractor => row.contractor.clone().unwrap_or_default(),
        SortColumn::Opened => row.opened_at.to_rfc3339(),
    }
}

#[tokio::test]
async fn each_filter_matches_what_the_store_holds() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let store = &test.store;
    let cast = cast(store).await;
    let filter = WorkOrderFilter::default;

    let (category,): (i64,) = Sql::new("SELECT category_id FROM work_orders LIMIT 1").fetch_one(store).await.unwrap();
    let by_category = WorkOrderFilter { category: Some(plumbline_domain::ids::CategoryId(category)), ..filter() };
    assert_eq!(
        ids_matching(store, staff, by_category).await,
        ids_where(store, &format!("w.category_id = {category}")).await
    );

    let (street,): (String,) = Sql::new("SELECT street FROM properties LIMIT 1").fetch_one(store).await.unwrap();
    let part = street.split_whitespace().last().unwrap().to_uppercase();
    let by_property = WorkOrderFilter { property: Some(format!("  {part} ")), ..filter() };
    let expected = ids_where(store, &format!("p.street ILIKE '%{part}%' OR p.postcode ILIKE '%{part}%'")).await;
    assert!(!expected.is_empty());
    assert_eq!(ids_matching(store, staff, by_property).await, expected, "address text, any case");
    let wildcard = WorkOrderFilter { property: Some("%".into()), ..filter() };
    assert!(ids_matching(store, staff, wildcard).await.is_empty(), "% is a character, not a wildcard");

    let landlord = cast.landlord.user_id.0;
    let by_landlord = WorkOrderFilter { landlord: Some(UserId(landlord)), ..filter() };
    assert_eq!(
        ids_matching(store, staff, by_landlord).await,
        ids_where(store, &format!("p.landlord_id = {landlord}")).await
    );

    let contractor = cast.contractor.user_id;
    let assigned = WorkOrderFilter { contractor: Some(ContractorFilter::Assigned(contractor)), ..filter() };
    let expected = ids_where(store, &format!("w.contractor_id = {}", contractor.0)).await;
    assert_eq!(ids_matching(store, staff, assigned).await, expected);
    let unassigned = WorkOrderFilter { contractor: Some(ContractorFilter::Unassigned), ..filter() };
    assert_eq!(ids_matching(store, staff, unassigned).await, ids_where(store, "w.contractor_id IS NULL").await);

    let from = now() - Duration::days(30);
    let range = TimeRange { from, until: now() };
    let opened = WorkOrderFilter { opened: Some(range), ..filter() };
    let condition = format!("w.opened_at >= {} AND w.opened_at < {}", from.timestamp(), now().timestamp());
    assert_eq!(ids_matching(store, staff, opened).await, ids_where(store, &condition).await);
}

#[tokio::test]
async fn filters_combine_and_still_respect_who_may_see_what() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let filter = WorkOrderFilter { landlord: Some(cast.other_landlord.user_id), ..WorkOrderFilter::default() };
    assert!(ids_matching(&test.store, cast.landlord, filter).await.is_empty(), "another landlord's orders leaked");
    let open_urgent = WorkOrderFilter {
        states: vec![State::New, State::Assigned],
        priority: Some(Priority::Urgent),
        ..WorkOrderFilter::default()
    };
    let expected = ids_where(&test.store, "w.state IN ('New', 'Assigned') AND w.priority = 'Urgent'").await;
    assert_eq!(ids_matching(&test.store, cast.staff, open_urgent).await, expected);
}

#[tokio::test]
async fn a_meaningless_filter_or_page_position_is_refused_by_field() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let refused_field = |result: Result<_, ServiceError>| match result {
        Err(ServiceError::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    };
    let long = WorkOrderFilter { property: Some("x".repeat(101)), ..WorkOrderFilter::default() };
    let result = work_orders::list(&test.store, staff, now(), &request(long, ListSort::default(), 10)).await;
    assert_eq!(refused_field(result), Field::Property);
    let backwards = TimeRange { from: now(), until: now() - Duration::days(1) };
    let inverted = WorkOrderFilter { opened: Some(backwards), ..WorkOrderFilter::default() };
    let result = work_orders::list(&test.store, staff, now(), &request(inverted, ListSort::default(), 10)).await;
    assert_eq!(refused_field(result), Field::Opened);
    let by_property = ListSort { column: SortColumn::Property, descending: false };
    let mut mismatched = request(WorkOrderFilter::default(), by_property, 10);
    mismatched.after = Some(ListCursor { key: SortKey::Int(5), id: plumbline_domain::WorkOrderId(5) });
    assert_eq!(refused_field(work_orders::list(&test.store, staff, now(), &mismatched).await), Field::After);
}

#[tokio::test]
async fn only_the_first_page_counts_the_total() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let mut page_request = request(WorkOrderFilter::default(), ListSort::default(), 50);
    let first = work_orders::list(&test.store, staff, now(), &page_request).await.unwrap();
    assert_eq!(first.total, Some(ids_where(&test.store, "1 = 1").await.len() as u64));
    page_request.after = first.next;
    assert_eq!(work_orders::list(&test.store, staff, now(), &page_request).await.unwrap().total, None);
}

#[tokio::test]
async fn every_dashboard_number_equals_the_list_it_opens() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    // An appointment today, so "Scheduled today" has something to count.
    let id = order_in(&test.store, &cast, State::Accepted).await;
    let (start, end) = (now() + Duration::hours(2), now() + Duration::hours(4));
    act(&test.store, cast.staff, id, Step::Schedule { start, end }).await.unwrap();

    let dashboard = work_orders::staff_dashboard(&test.store, cast.staff, now()).await.unwrap();
    let counts =
        dashboard.workload.iter().chain(&dashboard.alerts).chain(&dashboard.by_priority).chain(&dashboard.by_state);
    for card in counts {
        let listed = ids_matching(&test.store, cast.staff, card.filter.clone()).await;
        assert_eq!(card.count, listed.len() as u64, "{}", card.label);
    }
    let all_orders = ids_where(&test.store, "1 = 1").await.len() as u64;
    assert_eq!(dashboard.by_state.iter().map(|c| c.count).sum::<u64>(), all_orders);
    let today = dashboard.workload.iter().find(|c| c.label == "Scheduled today").unwrap();
    assert!(dashboard.todays_appointments.iter().any(|a| a.id == id && a.start == start && a.end == end));
    assert_eq!(dashboard.todays_appointments.len() as u64, today.count);
    let emergencies = dashboard.alerts.iter().find(|c| c.label == "Unassigned emergencies").unwrap();
    let expected = "w.priority = 'Emergency' AND w.contractor_id IS NULL AND w.state IN ('New', 'AwaitingApproval')";
    assert_eq!(emergencies.count, ids_where(&test.store, expected).await.len() as u64);
    assert!(!dashboard.activity.is_empty());
}

#[tokio::test]
async fn the_dashboards_grouped_tally_counts_exactly_what_the_list_counts_by_state_and_priority() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let unfinished: Vec<State> = State::ALL.into_iter().filter(|s| s.is_unfinished()).collect();
    let sla_choices = [None, Some(SlaStatus::OnTrack), Some(SlaStatus::AtRisk), Some(SlaStatus::Breached)]
        .into_iter()
        .chain([Some(SlaStatus::Met), Some(SlaStatus::NotApplicable)]);
    let sla_choices: Vec<Option<SlaStatus>> = sla_choices.collect();
    let priorities: Vec<Option<Priority>> = std::iter::once(None).chain(Priority::ALL.map(Some)).collect();
    for actor in [cast.staff, cast.landlord, cast.contractor, cast.tenant] {
        let tally = work_orders::Tally::of(&test.store, actor).await.unwrap();
        for states in [vec![], vec![State::New], unfinished.clone()] {
            for (sla, priority) in sla_choices.iter().flat_map(|sla| priorities.iter().map(move |p| (*sla, *p))) {
                for contractor in [None, Some(ContractorFilter::Unassigned)] {
                    let filter =
                        WorkOrderFilter { states: states.clone(), priority, sla, contractor, ..Default::default() };
                    let counted = work_orders::count(&test.store, actor, now(), &filter).await.unwrap();
                    // Only a state and a priority are in the groups; the store counts the rest.
                    let tallied = (sla.is_none() && contractor.is_none()).then_some(counted);
                    assert_eq!(tally.count(&filter), tallied, "{:?} {filter:?}", actor.role);
                }
            }
        }
        let by_category =
            WorkOrderFilter { category: Some(plumbline_domain::ids::CategoryId(1)), ..Default::default() };
        assert_eq!(tally.count(&by_category), None, "a category is not in the groups: the store counts it");
    }
}

#[tokio::test]
async fn the_agency_views_are_refused_to_everyone_else() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    for actor in [cast.landlord, cast.tenant, cast.contractor] {
        let dashboard = work_orders::staff_dashboard(&test.store, actor, now()).await;
        assert!(matches!(dashboard, Err(ServiceError::NotAllowed(_))), "{:?}", actor.role);
        let queue = work_orders::triage_queue(&test.store, actor, now()).await;
        assert!(matches!(queue, Err(ServiceError::NotAllowed(_))), "{:?}", actor.role);
    }
}

#[tokio::test]
async fn filter_menus_offer_each_role_only_what_it_may_filter_on() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let count = |sql: &'static str| async move { Sql::new(sql).fetch_one::<(i64,)>(store).await.unwrap().0 as usize };
    let categories = count("SELECT count(*) FROM categories WHERE parent_id IS NULL").await;
    let admin = Actor { user_id: cast.staff.user_id, role: Role::Admin };
    for agency in [cast.staff, admin] {
        let options = work_orders::filter_options(store, agency).await.unwrap();
        assert_eq!(options.categories.len(), categories);
        assert_eq!(options.landlords.len(), count("SELECT count(*) FROM users WHERE role = 'landlord'").await);
        assert_eq!(options.contractors.len(), count("SELECT count(*) FROM contractors").await);
        assert!(options.properties.is_empty(), "the agency searches properties by address");
    }
    let landlords = work_orders::filter_options(store, cast.landlord).await.unwrap();
    assert_eq!(landlords.categories.len(), categories);
    assert!(landlords.landlords.is_empty() && landlords.contractors.is_empty(), "other users' names leaked");
    let own: BTreeSet<i64> = landlords.properties.iter().map(|p| p.id.0).collect();
    assert_eq!(
        own,
        ids_of(store, &format!("SELECT id FROM properties WHERE landlord_id = {}", cast.landlord.user_id.0)).await
    );
    for actor in [cast.contractor, cast.tenant] {
        let options = work_orders::filter_options(store, actor).await.unwrap();
        assert_eq!(options.categories.len(), categories, "{:?}", actor.role);
        assert!(options.landlords.is_empty() && options.contractors.is_empty() && options.properties.is_empty());
    }
}

async fn ids_of(store: &Store, sql: &str) -> BTreeSet<i64> {
    Sql::new(sql).fetch_all::<(i64,)>(store).await.unwrap().into_iter().map(|(id,)| id).collect()
}

#[tokio::test]
async fn the_triage_queue_puts_emergencies_first_then_the_soonest_response_due() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let queue = work_orders::triage_queue(&test.store, cast.staff, now()).await.unwrap();
    let expected = ids_where(&test.store, "w.state = 'New' AND w.contractor_id IS NULL").await;
    assert_eq!(queue.total, expected.len() as u64);
    assert_eq!(queue.items.iter().map(|i| i.row.id.0).collect::<BTreeSet<_>>(), expected);
    let keys: Vec<_> = queue.items.iter().map(|i| (i.row.priority.rank(), i.respond_by)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "queue out of order: {keys:?}");
    assert!(queue.items.iter().all(|i| !i.triage_reason.is_empty()), "every row says why");

    // Taking an order on removes it from the queue.
    let first = queue.items[0].row.id;
    let contractor = cast.contractor.user_id;
    act(&test.store, cast.staff, first, Step::Assign { contractor }).await.unwrap();
    let after = work_orders::triage_queue(&test.store, cast.staff, now()).await.unwrap();
    assert_eq!(after.total, queue.total - 1);
    assert!(after.items.iter().all(|i| i.row.id != first));
}

#[tokio::test]
async fn the_triage_queue_flags_a_second_open_report_of_the_same_fault_on_the_same_unit() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let first = submit_routine(store, &cast).await;
    let second = submit_routine(store, &cast).await;
    let queue = work_orders::triage_queue(store, cast.staff, now()).await.unwrap();
    let flagged = |id: WorkOrderId| queue.items.iter().find(|i| i.row.id == id).and_then(|i| i.likely_duplicate_of);
    // The oldest open report of it (the demo may hold an older one for this unit).
    assert!(flagged(second).is_some_and(|older| older <= first), "the later report points back");
    assert!(flagged(first).is_some(), "and the first at another, so either can be dealt with");

    // Once the first is cancelled, the second stands alone.
    act(store, cast.staff, first, Step::Cancel { reason: "Reported twice".into() }).await.unwrap();
    let queue = work_orders::triage_queue(store, cast.staff, now()).await.unwrap();
    let second_item = queue.items.iter().find(|i| i.row.id == second).unwrap();
    assert_ne!(second_item.likely_duplicate_of, Some(first), "a cancelled order is nobody's duplicate");
}
