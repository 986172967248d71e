//! Every step for every party from every state, through the real use case and store.

use crate::fixtures::{Cast, act, cast, fingerprint, order_in, path_to, pence, sample_step, version_of};
use crate::support::{demo_store, now};
use plumbline_domain::api::{ActOnWorkOrder, Field, Step};
use plumbline_domain::lifecycle::transition;
use plumbline_domain::role::Party;
use plumbline_domain::{Action, State};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, work_orders};

const PARTIES: [Party; 5] =
    [Party::Agency, Party::OwningLandlord, Party::AssignedContractor, Party::RequestingTenant, Party::Unrelated];

/// Parties that exist for an order in `state` (no contractor before assignment).
fn present(state: State, party: Party) -> bool {
    let assigned = path_to(state).iter().any(|(action, _)| *action == Action::Assign);
    party != Party::AssignedContractor || assigned
}

async fn check(
    store: &Store,
    cast: &Cast,
    shared: plumbline_domain::WorkOrderId,
    state: State,
    party: Party,
    action: Action,
) {
    let (Some(actor), Some(step)) = (cast.actor_for(party), sample_step(action, cast)) else { return };
    let case = format!("{action:?} by {party:?} from {state:?}");
    match transition(state, action, party) {
        Ok(expected) => {
            // An allowed step changes the order: use a fresh one so the shared one stays put.
            let id = order_in(store, cast, state).await;
            let events_before = events(store, id).await;
            let outcome = act(store, actor, id, step).await.unwrap_or_else(|e| panic!("{case}: refused: {e}"));
            assert_eq!(outcome.state, expected, "{case}");
            assert_eq!(events(store, id).await, events_before + 1, "{case}: one event per change");
        }
        Err(_) => {
            let before = fingerprint(store, shared).await;
            let err = act(store, actor, shared, step).await.expect_err(&case);
            // Others' orders do not exist for them.
            let expected_kind = if party == Party::Unrelated {
                matches!(err, ServiceError::NotFound { .. })
            } else {
                matches!(err, ServiceError::InvalidTransition(_))
            };
            assert!(expected_kind, "{case}: wrong refusal {err:?}");
            assert_eq!(fingerprint(store, shared).await, before, "{case}: a refused step wrote something");
        }
    }
}

async fn events(store: &Store, id: plumbline_domain::WorkOrderId) -> i64 {
    Sql::new("SELECT count(*) FROM work_order_events WHERE work_order_id = ?")
        .bind(id.0)
        .fetch_one::<(i64,)>(store)
        .await
        .expect("count")
        .0
}

#[tokio::test]
async fn every_step_by_every_party_from_every_state_follows_the_graph() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    for state in State::ALL {
        let shared = order_in(&test.store, &cast, state).await;
        for party in PARTIES.into_iter().filter(|p| present(state, *p)) {
            for action in Action::ALL {
                check(&test.store, &cast, shared, state, party, action).await;
            }
        }
    }
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let id = order_in(&test.store, &cast, State::New).await;
    let seen = version_of(&test.store, id).await;
    // Someone else changes the priority first.
    let step = Step::SetPriority { priority: plumbline_domain::Priority::Urgent, reason: "Tenant called again".into() };
    act(&test.store, cast.staff, id, step).await.expect("first edit");
    let before = fingerprint(&test.store, id).await;
    let stale = ActOnWorkOrder { id, version: seen, step: Step::Cancel { reason: "duplicate".into() } };
    let err = work_orders::act(&test.store, cast.staff, now(), &stale).await.expect_err("stale edit");
    assert!(matches!(err, ServiceError::Conflict), "{err:?}");
    assert_eq!(fingerprint(&test.store, id).await, before);
}

#[tokio::test]
async fn bad_step_input_is_refused_with_the_field_and_changes_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let new = order_in(&test.store, &cast, State::New).await;
    let completed = order_in(&test.store, &cast, State::InProgress).await;
    let cases = [
        (new, Step::Cancel { reason: "   ".into() }, Field::Reason),
        (new, Step::Reject { reason: "x".repeat(work_orders::MAX_NOTE_CHARS + 1) }, Field::Reason),
        (completed, Step::Complete { notes: "   ".into(), invoice_minor: pence(500) }, Field::Notes),
    ];
    for (id, step, field) in cases {
        let before = fingerprint(&test.store, id).await;
        match act(&test.store, cast.staff, id, step.clone()).await {
            Err(ServiceError::Validation { field: got, .. }) => assert_eq!(got, field, "{step:?}"),
            other => panic!("{step:?}: expected a validation error, got {other:?}"),
        }
        assert_eq!(fingerprint(&test.store, id).await, before, "{step:?}");
    }
}

#[tokio::test]
async fn a_contractor_with_lapsed_insurance_cannot_be_assigned() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (lapsed,): (i64,) =
        Sql::new("SELECT user_id FROM contractors WHERE insurance_expires_on < ? ORDER BY user_id LIMIT 1")
            .bind(now().date_naive().to_string())
            .fetch_one(&test.store)
            .await
            .expect("the demo has a lapsed contractor");
    let id = order_in(&test.store, &cast, State::New).await;
    let before = fingerprint(&test.store, id).await;
    let err = act(&test.store, cast.staff, id, Step::Assign { contractor: plumbline_domain::UserId(lapsed) })
        .await
        .expect_err("lapsed insurance");
    assert!(err.to_string().contains("insurance expired"), "{err}");
    assert_eq!(fingerprint(&test.store, id).await, before);
}

#[tokio::test]
async fn completed_orders_close_themselves_after_the_quiet_period() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let id = order_in(&test.store, &cast, State::Completed).await;
    let week_later = now() + chrono::Duration::days(7);
    let closed = work_orders::auto_close(&test.store, week_later - chrono::Duration::minutes(1)).await.unwrap();
    let detail = work_orders::detail(&test.store, cast.staff, week_later, id).await.unwrap();
    assert_eq!(detail.row.state, State::Completed, "closed {closed} orders a minute too early");
    work_orders::auto_close(&test.store, week_later).await.unwrap();
    let detail = work_orders::detail(&test.store, cast.staff, week_later, id).await.unwrap();
    assert_eq!(detail.row.state, State::Closed);
    let last = detail.timeline.last().unwrap();
    assert_eq!((last.actor.as_str(), last.action), ("Plumbline", Some(Action::AutoClose)));
}

#[tokio::test]
async fn recent_activity_shows_each_role_only_its_orders_newest_first() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let id = order_in(&test.store, &cast, State::Assigned).await;
    let tenant_feed = work_orders::recent_activity(&test.store, cast.tenant, 20).await.unwrap();
    assert_eq!(tenant_feed[0].id, id);
    assert!(tenant_feed[0].summary.starts_with("Assign contractor: Assigned to"), "{}", tenant_feed[0].summary);
    assert_eq!(tenant_feed[1].summary, "New maintenance task: Plumbing – Blocked drain");
    assert!(tenant_feed.windows(2).all(|w| w[0].at >= w[1].at));
    let outsider_feed = work_orders::recent_activity(&test.store, cast.other_tenant, 200).await.unwrap();
    assert!(outsider_feed.iter().all(|item| item.id != id));
    let contractor_feed = work_orders::recent_activity(&test.store, cast.contractor, 5).await.unwrap();
    assert_eq!(contractor_feed[0].id, id);
}
