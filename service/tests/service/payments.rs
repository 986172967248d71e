//! Recording payouts, and the payment status every screen derives from the order and
//! its payout.

use crate::fixtures::{cast, fingerprint, ids_matching, order_in, pence};
use crate::support::{demo_store, now};
use chrono::{Days, NaiveDate};
use plumbline_domain::api::{Field, MAX_PAYOUT_REFERENCE_CHARS, RecordPayout, WorkOrderFilter};
use plumbline_domain::payment::PayoutRefusal;
use plumbline_domain::{Actor, PaymentStatus, Role, State, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, payments, users, work_orders};
use std::collections::BTreeSet;

/// London in November keeps UTC's date: the agency's today.
fn today() -> NaiveDate {
    now().date_naive()
}

fn payout(id: WorkOrderId, reference: &str, paid_on: NaiveDate) -> RecordPayout {
    RecordPayout { id, reference: reference.into(), paid_on }
}

async fn record(store: &Store, actor: Actor, request: RecordPayout) -> Result<(), ServiceError> {
    payments::record_payout(store, actor, now(), &request).await
}

#[tokio::test]
async fn a_recorded_payout_shows_as_paid_and_counts_in_the_contractors_earnings() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Closed).await;
    let before = work_orders::contractor_dashboard(store, cast.contractor, now()).await.unwrap().earnings_this_month;
    let owed = work_orders::detail(store, cast.staff, now(), id).await.unwrap().payment.unwrap();
    assert_eq!(
        (owed.status, owed.amount_minor, owed.may_record_payout),
        (PaymentStatus::AwaitingPayout, pence(12_500), true)
    );

    record(store, cast.staff, payout(id, " BACS-0042 ", today())).await.unwrap();

    let detail = work_orders::detail(store, cast.contractor, now(), id).await.unwrap();
    let paid = detail.payment.unwrap();
    assert_eq!(paid.status, PaymentStatus::Paid);
    assert_eq!((paid.amount_minor, paid.paid_on), (pence(12_500), Some(today())));
    assert_eq!(paid.reference.as_deref(), Some("BACS-0042"), "the reference is stored trimmed");
    assert!(!paid.may_record_payout);
    let last = detail.timeline.last().unwrap();
    assert_eq!((last.what.as_str(), last.to, last.action), ("Payout recorded", Some(State::Closed), None));
    let feed = work_orders::recent_activity(store, cast.contractor, 5).await.unwrap();
    assert_eq!(feed[0].id, id);
    let paid_line = format!("recorded the payout for {}: BACS-0042 £125.00", plumbline_domain::Reference::of(id));
    assert!(feed[0].summary.ends_with(&paid_line), "{}", feed[0].summary);
    let after = work_orders::contractor_dashboard(store, cast.contractor, now()).await.unwrap().earnings_this_month;
    assert_eq!(after.count.count, before.count.count + 1);
    assert_eq!(after.total_minor.minor_units(), before.total_minor.minor_units() + 12_500);
}

#[tokio::test]
async fn only_agency_staff_may_record_a_payout() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Closed).await;
    for actor in [cast.landlord, cast.contractor, cast.tenant] {
        let before = fingerprint(store, id).await;
        let err = record(store, actor, payout(id, "BACS-1", today())).await.unwrap_err();
        assert!(matches!(err, ServiceError::NotAllowed(_)), "{:?}: {err:?}", actor.role);
        assert_eq!(fingerprint(store, id).await, before, "{:?}: a refused payout wrote something", actor.role);
    }
    let admin = Actor { user_id: cast.staff.user_id, role: Role::Admin };
    record(store, admin, payout(id, "BACS-1", today())).await.unwrap();
}

#[tokio::test]
async fn a_payout_is_refused_unless_the_order_is_closed_invoiced_and_unpaid() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let in_review = order_in(store, &cast, State::Completed).await;
    let under_way = order_in(store, &cast, State::InProgress).await;
    // The steps never close an order without an invoice; only data written outside them
    // (an import, a hand edit) can. The rule must hold there too.
    let uninvoiced = order_in(store, &cast, State::Closed).await;
    Sql::new("UPDATE work_orders SET invoice_minor = NULL WHERE id = ?")
        .bind(uninvoiced.0)
        .execute(store)
        .await
        .unwrap();
    let paid = order_in(store, &cast, State::Closed).await;
    record(store, cast.staff, payout(paid, "BACS-7", today())).await.unwrap();

    let cases = [
        (in_review, PayoutRefusal::NotClosed(State::Completed)),
        (under_way, PayoutRefusal::NotClosed(State::InProgress)),
        (uninvoiced, PayoutRefusal::NoInvoice),
        (paid, PayoutRefusal::AlreadyPaid),
    ];
    for (id, expected) in cases {
        let before = fingerprint(store, id).await;
        match record(store, cast.staff, payout(id, "BACS-8", today())).await {
            Err(ServiceError::PayoutRefused(refusal)) => assert_eq!(refusal, expected),
            other => panic!("{expected:?}: expected a refusal, got {other:?}"),
        }
        assert_eq!(fingerprint(store, id).await, before, "{expected:?}: a refused payout wrote something");
    }
}

#[tokio::test]
async fn a_payout_needs_a_reference_and_a_date_not_in_the_future() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Closed).await;
    let tomorrow = today().checked_add_days(Days::new(1)).unwrap();
    let too_long = "R".repeat(MAX_PAYOUT_REFERENCE_CHARS + 1);
    let cases = [
        ("   ", today(), Field::Reference),
        (too_long.as_str(), today(), Field::Reference),
        ("BACS-9", tomorrow, Field::PaidOn),
    ];
    for (reference, paid_on, field) in cases {
        let before = fingerprint(store, id).await;
        match record(store, cast.staff, payout(id, reference, paid_on)).await {
            Err(ServiceError::Validation { field: got, .. }) => assert_eq!(got, field, "{reference} on {paid_on}"),
            other => panic!("{reference} on {paid_on}: expected a validation error, got {other:?}"),
        }
        assert_eq!(fingerprint(store, id).await, before, "{reference} on {paid_on}: wrote something");
    }
    let longest = "R".repeat(MAX_PAYOUT_REFERENCE_CHARS);
    record(store, cast.staff, payout(id, &longest, today())).await.unwrap();
}

#[tokio::test]
async fn only_staff_and_the_assigned_contractor_see_what_is_paid() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Closed).await;
    let payment = |actor: Actor| async move { work_orders::detail(store, actor, now(), id).await.unwrap().payment };
    assert!(payment(cast.staff).await.is_some_and(|p| p.may_record_payout));
    assert!(payment(cast.contractor).await.is_some_and(|p| !p.may_record_payout), "only staff record payouts");
    assert_eq!(payment(cast.landlord).await, None);
    assert_eq!(payment(cast.tenant).await, None);

    record(store, cast.staff, payout(id, "BACS-3", today())).await.unwrap();
    let told = |feed: Vec<plumbline_domain::api::ActivityItem>| {
        feed.iter().any(|item| item.id == id && item.summary.contains("BACS-3"))
    };
    for (actor, sees) in [(cast.staff, true), (cast.contractor, true), (cast.landlord, false), (cast.tenant, false)] {
        let timeline = work_orders::detail(store, actor, now(), id).await.unwrap().timeline;
        assert_eq!(timeline.iter().any(|e| e.what == "Payout recorded"), sees, "{:?}'s history", actor.role);
        assert_eq!(
            told(work_orders::recent_activity(store, actor, 20).await.unwrap()),
            sees,
            "{:?}'s feed",
            actor.role
        );
    }
    let under_way = order_in(store, &cast, State::InProgress).await;
    let detail = work_orders::detail(store, cast.staff, now(), under_way).await.unwrap();
    assert_eq!(detail.payment, None, "nothing is owed before the job is completed");
}

#[tokio::test]
async fn the_payment_filter_selects_exactly_the_orders_with_that_derived_status() {
    let test = demo_store().await;
    let store = &test.store;
    let staff = users::first_staff(store).await.unwrap();
    let stored: Vec<(i64, String, bool, bool)> = Sql::new(
        "SELECT w.id, w.state, w.invoice_minor IS NOT NULL, EXISTS (SELECT 1 FROM payouts WHERE work_order_id = w.id)
         FROM work_orders w",
    )
    .fetch_all(store)
    .await
    .unwrap();
    for status in PaymentStatus::ALL {
        let expected: BTreeSet<i64> = stored
            .iter()
            .filter(|(_, state, invoiced, paid)| {
                PaymentStatus::of(State::parse(state).unwrap(), *invoiced, *paid) == Some(status)
            })
            .map(|(id, ..)| *id)
            .collect();
        assert!(!expected.is_empty(), "the demo has no order {status:?} to test with");
        let filter = WorkOrderFilter { payment: vec![status], ..WorkOrderFilter::default() };
        assert_eq!(ids_matching(store, staff, filter).await, expected, "{status:?}");
    }
}

#[tokio::test]
async fn landlords_and_tenants_may_not_ask_about_payments() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let by_status = WorkOrderFilter { payment: vec![PaymentStatus::Paid], ..WorkOrderFilter::default() };
    let range = plumbline_domain::api::TimeRange { from: now() - chrono::Duration::days(30), until: now() };
    let by_date = WorkOrderFilter { paid: Some(range), ..WorkOrderFilter::default() };
    for actor in [cast.landlord, cast.tenant] {
        for filter in [&by_status, &by_date] {
            let err = work_orders::count(store, actor, now(), filter).await.unwrap_err();
            assert!(matches!(err, ServiceError::NotAllowed(_)), "{:?}: {err:?}", actor.role);
        }
    }
    let paid_to_me = ids_matching(store, cast.contractor, by_status).await;
    let mine = ids_matching(store, cast.contractor, WorkOrderFilter::default()).await;
    assert!(paid_to_me.is_subset(&mine));
}
