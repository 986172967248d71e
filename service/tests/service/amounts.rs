//! Amounts are bounded (issue #16): no amount past `MoneyMinor::MAX` gets in at all, none
//! past the agency's largest amount per order is stored, so a month's sum can neither
//! overflow nor lose a penny in the webview; and an invoice past the agreed cost's
//! tolerance is recorded only by staff approving the overrun.

use crate::fixtures::{Cast, act, cast, order_in, path_to, pence, sample_step, submit_routine, version_of};
use crate::support::{demo_store, now};
use plumbline_domain::api::{AgencyRules, Field, Step};
use plumbline_domain::{Actor, MoneyMinor, Role, State, UserId, WorkOrderId};
use plumbline_service::api::{DispatchError, dispatch};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, settings, work_orders};
use serde_json::json;

async fn admin(store: &Store) -> Actor {
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(store).await.unwrap();
    Actor { user_id: UserId(id), role: Role::Admin }
}

async fn set_rules(store: &Store, change: impl FnOnce(&mut AgencyRules)) {
    let admin = admin(store).await;
    let mut rules = settings::rules(store, admin).await.unwrap();
    change(&mut rules);
    settings::update(store, admin, now(), &rules).await.unwrap();
}

fn complete(invoice_minor: i64, approve_overrun: Option<&str>) -> Step {
    Step::Complete {
        notes: "Replaced the trap".into(),
        invoice_minor: pence(invoice_minor),
        approve_overrun: approve_overrun.map(str::to_owned),
    }
}

/// What the store holds of the order: state, version, invoice, and its events.
async fn stored(store: &Store, id: WorkOrderId) -> (String, i64, Option<i64>, i64) {
    Sql::new(
        "SELECT state, version, invoice_minor, (SELECT count(*) FROM work_order_events WHERE work_order_id = w.id)
         FROM work_orders w WHERE id = ?",
    )
    .bind(id.0)
    .fetch_one(store)
    .await
    .unwrap()
}

/// An order under way whose estimate of `estimate` was approved (by staff, or by the
/// landlord if their limits ask for it).
async fn under_way_with_estimate(store: &Store, cast: &Cast, estimate: i64) -> WorkOrderId {
    let id = submit_routine(store, cast).await;
    let outcome = act(store, cast.staff, id, Step::RequestApproval { estimate_minor: pence(estimate) }).await.unwrap();
    if outcome.state == State::AwaitingApproval {
        act(store, cast.landlord, id, Step::Approve { note: String::new() }).await.unwrap();
    }
    for (action, party) in path_to(State::InProgress) {
        let actor = cast.actor_for(party).unwrap();
        act(store, actor, id, sample_step(action, cast).unwrap()).await.unwrap();
    }
    id
}

fn refused_on(result: Result<work_orders::Outcome, ServiceError>, field: Field, says: &str) {
    match result {
        Err(ServiceError::Validation { field: f, message }) => {
            assert_eq!(f, field, "{message}");
            assert!(message.contains(says), "{message:?} should say {says:?}");
        }
        other => panic!("expected a refusal on {field:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn an_invoice_past_the_ceiling_or_the_agencys_limit_is_refused_and_nothing_is_stored() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let id = order_in(store, &cast, State::InProgress).await;
    let before = stored(store, id).await;

    // Past the domain's ceiling, an amount is not even read off the wire.
    for invoice in [i64::MAX, (1_i64 << 53) + 1, MoneyMinor::MAX.minor_units() + 1] {
        let version = version_of(store, id).await;
        let step = json!({ "action": "Complete", "notes": "Done", "invoice_minor": invoice });
        let args = json!({ "request": { "id": id, "version": version, "step": step } });
        let refused = dispatch(store, cast.contractor, now(), "act_on_work_order", args).await;
        assert!(matches!(refused, Err(DispatchError::BadArguments(_))), "{invoice}: {refused:?}");
    }
    // Past the agency's largest amount per order (1,000,000.00 by default), by a penny.
    refused_on(act(store, cast.contractor, id, complete(100_000_001, None)).await, Field::Amount, "£1,000,000.00");
    refused_on(
        act(store, cast.staff, id, complete(100_000_001, Some("agreed by phone"))).await,
        Field::Amount,
        "the agency's largest amount per order",
    );
    assert_eq!(stored(store, id).await, before, "nothing stored on refusal");

    set_rules(store, |rules| rules.max_order_amount = pence(50_000)).await;
    refused_on(act(store, cast.contractor, id, complete(50_001, None)).await, Field::Amount, "£500.00");
    assert_eq!(stored(store, id).await, before);
    act(store, cast.contractor, id, complete(50_000, None)).await.expect("at the limit is within it");
}

#[tokio::test]
async fn an_estimate_past_the_agencys_limit_is_refused() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let id = order_in(store, &cast, State::New).await;
    let before = stored(store, id).await;
    let refused = act(store, cast.staff, id, Step::RequestApproval { estimate_minor: pence(100_000_001) }).await;
    refused_on(refused, Field::Amount, "an estimate may be at most £1,000,000.00");
    assert_eq!(stored(store, id).await, before);
    let (estimate,): (Option<i64>,) =
        Sql::new("SELECT estimate_minor FROM work_orders WHERE id = ?").bind(id.0).fetch_one(store).await.unwrap();
    assert_eq!(estimate, None);
}

/// Two invoices near i64::MAX made SQLite's sum() overflow and broke the landlord's and
/// the contractor's dashboards for the month. They can no longer be recorded; and two at
/// the highest limit an agency may set still sum to a figure every dashboard shows.
#[tokio::test]
async fn invoices_that_once_overflowed_the_months_sum_are_refused_and_the_dashboards_still_load() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let first = order_in(store, &cast, State::InProgress).await;
    let second = order_in(store, &cast, State::InProgress).await;
    for id in [first, second] {
        let step = json!({ "action": "Complete", "notes": "Done", "invoice_minor": i64::MAX / 2 });
        let args = json!({ "request": { "id": id, "version": version_of(store, id).await, "step": step } });
        let refused = dispatch(store, cast.contractor, now(), "act_on_work_order", args).await;
        assert!(refused.is_err(), "{refused:?}");
    }
    work_orders::landlord_dashboard(store, cast.landlord, now()).await.expect("the landlord's dashboard loads");
    let owed_before = work_orders::contractor_dashboard(store, cast.contractor, now()).await.unwrap().pending_payments;

    set_rules(store, |rules| rules.max_order_amount = MoneyMinor::MAX).await;
    for id in [first, second] {
        act(store, cast.contractor, id, complete(MoneyMinor::MAX.minor_units(), None)).await.unwrap();
    }
    let landlord = work_orders::landlord_dashboard(store, cast.landlord, now()).await.expect("still loads");
    assert!(landlord.spend_this_month.total_minor.minor_units() >= 2 * MoneyMinor::MAX.minor_units());
    let contractor = work_orders::contractor_dashboard(store, cast.contractor, now()).await.expect("still loads");
    assert_eq!(
        contractor.pending_payments.total_minor.minor_units(),
        owed_before.total_minor.minor_units() + 2 * MoneyMinor::MAX.minor_units(),
        "to the penny"
    );
    work_orders::staff_dashboard(store, cast.staff, now()).await.expect("the staff dashboard loads");
}

#[tokio::test]
async fn a_contractor_invoices_up_to_the_agreed_cost_and_its_tolerance_and_no_further() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let id = under_way_with_estimate(store, &cast, 40_000).await;
    let detail = work_orders::detail(store, cast.contractor, now(), id).await.unwrap();
    let ceiling = detail.invoice_ceiling.expect("the completion form names the ceiling");
    assert_eq!((ceiling.agreed, ceiling.without_approval()), (Some(pence(40_000)), pence(44_000)));
    let tenant_view = work_orders::detail(store, cast.tenant, now(), id).await.unwrap();
    assert_eq!(tenant_view.invoice_ceiling, None, "only for who may complete it");
    let before = stored(store, id).await;

    let refused = act(store, cast.contractor, id, complete(44_001, None)).await;
    refused_on(refused, Field::Amount, "more than 10% over the agreed £400.00: invoice at most £440.00");
    let approving = act(store, cast.contractor, id, complete(44_001, Some("more pipe than expected"))).await;
    assert!(matches!(approving, Err(ServiceError::NotAllowed(_))), "only the agency approves: {approving:?}");
    assert_eq!(stored(store, id).await, before, "nothing stored on refusal");

    act(store, cast.contractor, id, complete(44_000, None)).await.expect("within the tolerance");
    let (_, _, invoice, _) = stored(store, id).await;
    assert_eq!(invoice, Some(44_000));
}

#[tokio::test]
async fn staff_record_an_overrun_only_by_approving_it_with_a_reason_kept_in_the_history() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    set_rules(store, |rules| rules.invoice_overrun_percent = 0).await;
    let id = under_way_with_estimate(store, &cast, 40_000).await;
    let before = stored(store, id).await;

    let refused = act(store, cast.staff, id, complete(52_000, None)).await;
    refused_on(refused, Field::Reason, "approve the overrun and say why");
    let blank = act(store, cast.staff, id, complete(52_000, Some("   "))).await;
    refused_on(blank, Field::Reason, "at most £400.00 without approval");
    assert_eq!(stored(store, id).await, before);

    act(store, cast.staff, id, complete(52_000, Some("Landlord agreed the extra valve by phone"))).await.unwrap();
    let (state, _, invoice, _) = stored(store, id).await;
    assert_eq!((state.as_str(), invoice), ("Completed", Some(52_000)));
    let (note,): (String,) = Sql::new(
        "SELECT note FROM work_order_events WHERE work_order_id = ? AND action = 'Complete' ORDER BY id DESC LIMIT 1",
    )
    .bind(id.0)
    .fetch_one(store)
    .await
    .unwrap();
    assert!(
        note.contains("Overrun approved by staff (£520.00, more than 0% over the agreed £400.00): Landlord agreed the extra valve by phone"),
        "{note}"
    );
}

#[tokio::test]
async fn a_landlords_threshold_past_the_ceiling_is_not_an_amount() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let rules = |approval_above: i64| {
        json!({ "id": cast.landlord.user_id, "rules": {
            "thresholds": { "notify_from": 20_000, "approval_above": approval_above },
            "staff_may_approve": false,
        } })
    };
    for huge in [i64::MAX, (1_i64 << 53) + 1] {
        let refused = dispatch(store, cast.staff, now(), "set_landlord_rules", rules(huge)).await;
        assert!(matches!(refused, Err(DispatchError::BadArguments(_))), "{huge}: {refused:?}");
    }
    dispatch(store, cast.staff, now(), "set_landlord_rules", rules(MoneyMinor::MAX.minor_units()))
        .await
        .expect("the ceiling itself is an amount");
}
