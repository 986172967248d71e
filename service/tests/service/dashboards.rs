//! The landlord's, contractor's and tenant's dashboards: every number equals the list
//! it opens for that user, "this month" is the agency's month, sums are the user's own,
//! and each dashboard is for its own role.

use crate::fixtures::{Cast, cast, ids_matching, order_in, order_in_at, pence};
use crate::support::{demo_store, now};
use chrono::{DateTime, NaiveDate, Utc};
use plumbline_domain::api::{DashboardCount, RecordPayout, WorkOrderFilter};
use plumbline_domain::{Actor, MoneySum, Role, State, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, payments, work_orders};
use std::collections::BTreeSet;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The count equals the list its filter opens for `actor`; returns that list.
async fn opens_its_list(store: &Store, actor: Actor, count: &DashboardCount) -> BTreeSet<i64> {
    let listed = ids_matching(store, actor, count.filter.clone()).await;
    assert_eq!(count.count, listed.len() as u64, "{}", count.label);
    listed
}

/// `sql` ends with `IN`; an empty list sums to nothing (PostgreSQL refuses `IN ()`).
async fn sum_over(store: &Store, sql: &str, ids: &BTreeSet<i64>) -> MoneySum {
    if ids.is_empty() {
        return MoneySum::ZERO;
    }
    let mut query = Sql::new(sql);
    query.push(" (").push_bind_list(ids.iter().copied()).push(")");
    MoneySum::try_from(query.fetch_one::<(i64,)>(store).await.unwrap().0).expect("a sum")
}

async fn invoices(store: &Store, ids: &BTreeSet<i64>) -> MoneySum {
    sum_over(store, "SELECT CAST(coalesce(sum(invoice_minor), 0) AS BIGINT) FROM work_orders WHERE id IN", ids).await
}

async fn payouts(store: &Store, ids: &BTreeSet<i64>) -> MoneySum {
    sum_over(store, "SELECT CAST(coalesce(sum(amount_minor), 0) AS BIGINT) FROM payouts WHERE work_order_id IN", ids)
        .await
}

async fn pay(store: &Store, cast: &Cast, id: WorkOrderId, paid_on: NaiveDate, now: DateTime<Utc>) {
    let request = RecordPayout { id, reference: format!("BACS-{}", id.0), paid_on };
    payments::record_payout(store, cast.staff, now, &request).await.unwrap();
}

#[tokio::test]
async fn every_landlord_number_equals_the_list_it_opens() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    for state in [State::AwaitingApproval, State::New, State::Assigned, State::Scheduled] {
        order_in(store, &cast, state).await;
    }
    let awaiting_review = order_in(store, &cast, State::Completed).await;
    let board = work_orders::landlord_dashboard(store, cast.landlord, now()).await.unwrap();
    let counts =
        [&board.awaiting_approval, &board.awaiting_contractor, &board.in_progress, &board.spend_this_month.count];
    for count in counts {
        assert!(count.count > 0, "{} has nothing to count", count.label);
        opens_its_list(store, cast.landlord, count).await;
    }
    let spent = opens_its_list(store, cast.landlord, &board.spend_this_month.count).await;
    assert_eq!(board.spend_this_month.total_minor, invoices(store, &spent).await);
    let this_year = opens_its_list(store, cast.landlord, &board.spend_this_year.count).await;
    assert_eq!(board.spend_this_year.total_minor, invoices(store, &this_year).await);
    assert!(this_year.is_superset(&spent), "the year holds the month");
    let mut by_property = 0;
    for property in &board.properties {
        let its = opens_its_list(store, cast.landlord, &property.spend_this_year.count).await;
        assert_eq!(property.spend_this_year.total_minor, invoices(store, &its).await, "{}", property.address);
        by_property += property.spend_this_year.total_minor.minor_units();
    }
    assert_eq!(by_property, board.spend_this_year.total_minor.minor_units(), "each property's share adds up");

    let properties: BTreeSet<i64> = board.properties.iter().map(|p| p.id.0).collect();
    let own = format!("SELECT id FROM properties WHERE landlord_id = {}", cast.landlord.user_id.0);
    let expected: BTreeSet<i64> =
        Sql::new(&own).fetch_all::<(i64,)>(store).await.unwrap().into_iter().map(|(id,)| id).collect();
    assert_eq!(properties, expected);
    for property in &board.properties {
        let open = opens_its_list(store, cast.landlord, &property.open).await;
        assert!(!open.contains(&awaiting_review.0), "open means work still to do, as on the staff dashboard");
    }
    assert!(board.properties.iter().any(|p| p.open.count > 0));

    let visible = ids_matching(store, cast.landlord, WorkOrderFilter::default()).await;
    assert!(!board.activity.is_empty() && board.activity.iter().all(|item| visible.contains(&item.id.0)));
}

#[tokio::test]
async fn every_contractor_number_equals_the_list_it_opens() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    for state in [State::Assigned, State::Scheduled, State::Completed, State::Closed] {
        order_in(store, &cast, state).await;
    }
    let paid = order_in(store, &cast, State::Closed).await;
    pay(store, &cast, paid, now().date_naive(), now()).await;

    let board = work_orders::contractor_dashboard(store, cast.contractor, now()).await.unwrap();
    let counts = [
        &board.new_orders,
        &board.in_progress,
        &board.earnings_this_month.count,
        &board.pending_payments.count,
        &board.completed_this_month,
    ];
    for count in counts {
        assert!(count.count > 0, "{} has nothing to count", count.label);
        opens_its_list(store, cast.contractor, count).await;
    }
    let earned = opens_its_list(store, cast.contractor, &board.earnings_this_month.count).await;
    assert_eq!(board.earnings_this_month.total_minor, payouts(store, &earned).await);
    let owed = opens_its_list(store, cast.contractor, &board.pending_payments.count).await;
    assert_eq!(board.pending_payments.total_minor, invoices(store, &owed).await);
    assert!(earned.contains(&paid.0) && !owed.contains(&paid.0), "a paid job is earned, not pending");

    let scheduled = WorkOrderFilter { states: vec![State::Scheduled], ..WorkOrderFilter::default() };
    let visits: BTreeSet<i64> = board.appointments.iter().map(|a| a.id.0).collect();
    assert_eq!(visits, ids_matching(store, cast.contractor, scheduled).await);
    assert!(board.appointments.windows(2).all(|w| w[0].start <= w[1].start), "soonest first");
    assert!(!board.activity.is_empty());
}

#[tokio::test]
async fn every_tenant_number_equals_the_list_it_opens() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    order_in(store, &cast, State::New).await;
    let newest = order_in(store, &cast, State::InProgress).await;
    let board = work_orders::tenant_dashboard(store, cast.tenant, now()).await.unwrap();
    for count in [&board.pending, &board.in_progress, &board.all_requests] {
        assert!(count.count > 0, "{} has nothing to count", count.label);
        opens_its_list(store, cast.tenant, count).await;
    }
    let mine = ids_matching(store, cast.tenant, WorkOrderFilter::default()).await;
    assert_eq!(board.requests.first().map(|r| r.id), Some(newest));
    assert!(board.requests.iter().all(|r| mine.contains(&r.id.0)));
    assert!(board.requests.windows(2).all(|w| w[0].opened_at >= w[1].opened_at), "newest first");
    assert!(board.activity.iter().all(|item| mine.contains(&item.id.0)));
}

#[tokio::test]
async fn a_tenant_sees_first_the_finished_work_waiting_for_their_word_and_only_theirs() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let finished = order_in(store, &cast, State::Completed).await;
    order_in(store, &cast, State::InProgress).await;

    let board = work_orders::tenant_dashboard(store, cast.tenant, now()).await.unwrap();
    assert!(board.to_confirm.iter().any(|row| row.id == finished));
    assert!(board.to_confirm.iter().all(|row| row.state == State::Completed));
    let mine = ids_matching(store, cast.tenant, WorkOrderFilter::default()).await;
    assert!(board.to_confirm.iter().all(|row| mine.contains(&row.id.0)));
    let theirs = work_orders::tenant_dashboard(store, cast.other_tenant, now()).await.unwrap();
    assert!(theirs.to_confirm.iter().all(|row| row.id != finished));

    crate::fixtures::act(store, cast.tenant, finished, plumbline_domain::api::Step::ConfirmDone).await.unwrap();
    let board = work_orders::tenant_dashboard(store, cast.tenant, now()).await.unwrap();
    assert!(board.to_confirm.iter().all(|row| row.id != finished), "confirmed work leaves the list");
}

#[tokio::test]
async fn paying_a_job_takes_it_out_of_pending_payments() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Closed).await;
    let before = work_orders::contractor_dashboard(store, cast.contractor, now()).await.unwrap().pending_payments;
    pay(store, &cast, id, now().date_naive(), now()).await;
    let after = work_orders::contractor_dashboard(store, cast.contractor, now()).await.unwrap().pending_payments;
    assert_eq!(after.count.count, before.count.count - 1);
    assert_eq!(after.total_minor.minor_units(), before.total_minor.minor_units() - 12_500);
    assert!(!opens_its_list(store, cast.contractor, &after.count).await.contains(&id.0));
}

#[tokio::test]
async fn this_months_spend_and_earnings_are_the_agencys_month_and_the_users_own() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    // London is on summer time in July: 1 July starts at 23:00 UTC on 30 June.
    let july = utc("2026-07-20T12:00:00Z");
    let landlord_board = || work_orders::landlord_dashboard(store, cast.landlord, july);
    let contractor_board = || work_orders::contractor_dashboard(store, cast.contractor, july);
    let (spend_before, contractor_before) = (landlord_board().await.unwrap(), contractor_board().await.unwrap());

    let first_of_july = order_in_at(store, &cast, State::Closed, utc("2026-06-30T23:30:00Z")).await;
    let last_of_june = order_in_at(store, &cast, State::Closed, utc("2026-06-30T22:30:00Z")).await;
    let others = cast.others();
    let theirs = order_in_at(store, &others, State::Closed, utc("2026-06-30T23:30:00Z")).await;
    pay(store, &cast, first_of_july, date("2026-07-01"), july).await;
    pay(store, &cast, last_of_june, date("2026-06-30"), july).await;
    pay(store, &others, theirs, date("2026-07-01"), july).await;

    let spend = landlord_board().await.unwrap().spend_this_month;
    let before = &spend_before.spend_this_month;
    assert_eq!(spend.count.count, before.count.count + 1, "only my order completed on 1 July");
    assert_eq!(spend.total_minor.minor_units(), before.total_minor.minor_units() + 12_500);
    let contractor = contractor_board().await.unwrap();
    let earned = &contractor.earnings_this_month;
    assert_eq!(earned.count.count, contractor_before.earnings_this_month.count.count + 1, "only my July payout");
    assert_eq!(
        earned.total_minor.minor_units(),
        contractor_before.earnings_this_month.total_minor.minor_units() + 12_500
    );
    assert_eq!(contractor.completed_this_month.count, contractor_before.completed_this_month.count + 1);
}

#[tokio::test]
async fn each_dashboard_is_refused_to_every_other_role() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let admin = Actor { user_id: cast.staff.user_id, role: Role::Admin };
    let refused = |result: Result<(), ServiceError>, who: Actor, board: &str| {
        assert!(matches!(result, Err(ServiceError::NotAllowed(_))), "{board} shown to a {:?}", who.role);
    };
    for actor in [cast.staff, admin, cast.landlord, cast.contractor, cast.tenant] {
        if actor.role != Role::Landlord {
            refused(work_orders::landlord_dashboard(store, actor, now()).await.map(drop), actor, "landlord's");
        }
        if actor.role != Role::Contractor {
            refused(work_orders::contractor_dashboard(store, actor, now()).await.map(drop), actor, "contractor's");
        }
        if actor.role != Role::Tenant {
            refused(work_orders::tenant_dashboard(store, actor, now()).await.map(drop), actor, "tenant's");
        }
    }
}

#[tokio::test]
async fn what_a_job_cost_is_shown_to_who_pays_and_who_charged_never_to_the_tenant() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let done = order_in(store, &cast, State::Completed).await;
    let invoice = Some(pence(12_500));
    for (actor, expected) in
        [(cast.staff, invoice), (cast.landlord, invoice), (cast.contractor, invoice), (cast.tenant, None)]
    {
        let detail = work_orders::detail(store, actor, now(), done).await.unwrap();
        assert_eq!(detail.row.cost, expected, "{:?} on the order", actor.role);
        let everything = plumbline_domain::api::ListWorkOrders {
            filter: WorkOrderFilter::default(),
            sort: Default::default(),
            after: None,
            limit: 500,
        };
        let listed = crate::fixtures::all_rows(store, actor, everything).await;
        let row = listed.iter().find(|row| row.id == done).expect("listed");
        assert_eq!(row.cost, expected, "{:?} in the list", actor.role);
    }
}
