//! Property test: random steps by random people never break the lifecycle's invariants.

use crate::fixtures::{Cast, cast, pence, sample_step, submit_routine, version_of};
use crate::support::{demo_store, now};
use plumbline_domain::api::{ActOnWorkOrder, Step};
use plumbline_domain::approval::ApprovalThresholds;
use plumbline_domain::lifecycle::transition;
use plumbline_domain::limits::StepLimit;
use plumbline_domain::role::{OrderParties, Party};
use plumbline_domain::{Action, Actor, State, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{Store, work_orders};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::Cell;

fn people(cast: &Cast) -> [Actor; 7] {
    [
        cast.staff,
        cast.landlord,
        cast.tenant,
        cast.contractor,
        cast.other_contractor,
        cast.other_landlord,
        cast.other_tenant,
    ]
}

/// What the test believes about the order; checked against the store after each step.
struct Model {
    state: State,
    contractor: Option<UserId>,
    /// The estimate on the order: recorded by RequestApproval, gone once declined.
    estimate: Option<i64>,
    /// The approved cost: the estimate when staff may approve it (at or under the
    /// landlord's threshold) or once the landlord approves; gone once declined.
    approved: Option<i64>,
    events: i64,
}

/// How often each RequestApproval route was taken over the whole run: both must be.
#[derive(Default)]
struct Routes {
    to_landlord: Cell<u32>,
    staff_approved: Cell<u32>,
}

/// The landlord's approval threshold (pence): estimates above it wait for the landlord.
async fn approval_above(store: &Store, cast: &Cast) -> i64 {
    let set: Option<(Option<i64>,)> =
        Sql::new("SELECT approval_above_minor FROM landlord_thresholds WHERE landlord_id = ?")
            .bind(cast.landlord.user_id.0)
            .fetch_optional(store)
            .await
            .unwrap();
    set.and_then(|(above,)| above).unwrap_or(ApprovalThresholds::default().approval_above.minor_units())
}

/// When the order was last offered and accepted, first started, and how often sent
/// back: as each step keeps them on the order (what the contractor report reads)…
async fn kept_work(store: &Store, id: WorkOrderId) -> (Option<i64>, Option<i64>, Option<i64>, i64) {
    Sql::new("SELECT offered_at, accepted_at, started_at, sent_back FROM work_orders WHERE id = ?")
        .bind(id.0)
        .fetch_one(store)
        .await
        .unwrap()
}

/// …and as the history says.
async fn work_in_history(store: &Store, id: WorkOrderId) -> (Option<i64>, Option<i64>, Option<i64>, i64) {
    Sql::new(
        "SELECT max(CASE WHEN action IN ('Assign', 'Reassign') THEN at END),
                max(CASE WHEN action = 'Accept' THEN at END),
                min(CASE WHEN action = 'Start' THEN at END),
                CAST(count(CASE WHEN action IN ('Reopen', 'ReportNotDone') THEN 1 END) AS BIGINT)
         FROM work_order_events WHERE work_order_id = ?",
    )
    .bind(id.0)
    .fetch_one(store)
    .await
    .unwrap()
}

async fn event_count(store: &Store, id: WorkOrderId) -> i64 {
    Sql::new("SELECT count(*) FROM work_order_events WHERE work_order_id = ?")
        .bind(id.0)
        .fetch_one::<(i64,)>(store)
        .await
        .unwrap()
        .0
}

/// One random step: which action, by whom, and the estimate if it is RequestApproval.
type RandomStep = (usize, usize, i64);

async fn run_sequence(
    store: &Store,
    cast: &Cast,
    above: i64,
    routes: &Routes,
    steps: &[RandomStep],
) -> Result<(), TestCaseError> {
    let id = submit_routine(store, cast).await;
    let mut model = Model { state: State::New, contractor: None, estimate: None, approved: None, events: 1 };
    // How often each person has taken each limited step (all at one instant: one day).
    let mut repeats: std::collections::BTreeMap<(&str, i64), i64> = std::collections::BTreeMap::new();
    for &(action_index, person_index, estimate) in steps {
        let action = Action::ALL[action_index];
        let actor = people(cast)[person_index];
        let Some(mut step) = sample_step(action, cast) else { continue };
        // Reassign to whichever of the two contractors does not have it.
        let other =
            if model.contractor == Some(cast.contractor.user_id) { cast.other_contractor } else { cast.contractor };
        if let Step::Reassign { contractor, .. } = &mut step {
            *contractor = other.user_id;
        }
        if let Step::RequestApproval { estimate_minor } = &mut step {
            *estimate_minor = pence(estimate);
        }
        let parties = OrderParties {
            landlord: cast.landlord.user_id,
            tenant: Some(cast.tenant.user_id),
            contractor: model.contractor,
        };
        let party = parties.party_of(actor);
        let expected = if party == Party::Unrelated { None } else { transition(model.state, action, party).ok() };
        let taken = repeats.get(&(action.as_str(), actor.user_id.0)).copied().unwrap_or(0);
        let expected = expected.filter(|_| StepLimit::of(action).is_none_or(|limit| limit.allows_another(taken)));

        let version = version_of(store, id).await;
        let request = ActOnWorkOrder { id, version, step: step.clone() };
        let result = work_orders::act(store, actor, now(), &request).await;
        let before = model.state;
        match (expected, result) {
            (Some(next), Ok(outcome)) => {
                // The graph leads to AwaitingApproval; an estimate staff may approve (the
                // order is routine or urgent, never an emergency) stays where it is.
                let next = if action != Action::RequestApproval {
                    next
                } else if estimate > above {
                    routes.to_landlord.set(routes.to_landlord.get() + 1);
                    next
                } else {
                    routes.staff_approved.set(routes.staff_approved.get() + 1);
                    model.approved = Some(estimate);
                    model.state
                };
                prop_assert_eq!(outcome.state, next, "{:?} by {:?}", action, party);
                prop_assert_eq!(outcome.version, version + 1);
                model.state = next;
                model.events += 1;
                *repeats.entry((action.as_str(), actor.user_id.0)).or_default() += 1;
                if let Step::Assign { contractor } | Step::Reassign { contractor, .. } = step {
                    model.contractor = Some(contractor);
                } else if let Step::Decline { .. } = step {
                    model.contractor = None;
                }
                if let Step::RequestApproval { estimate_minor } = step {
                    model.estimate = Some(estimate_minor.minor_units());
                } else if let Step::Approve { .. } = step {
                    model.approved = model.estimate;
                } else if let Step::DeclineEstimate { .. } = step {
                    model.estimate = None;
                    model.approved = None;
                }
                // A landlord's "no" is to the estimate, never to the repair: only the
                // agency refuses a request.
                if model.state == State::Rejected {
                    prop_assert_eq!(party, Party::Agency, "{:?} rejected the request", party);
                }
            }
            (None, Err(_)) => prop_assert_eq!(version_of(store, id).await, version, "a refusal bumped the version"),
            (expected, result) => {
                return Err(TestCaseError::fail(format!(
                    "{action:?} by {party:?} from {:?}: expected {expected:?}, got {result:?}",
                    model.state
                )));
            }
        }
        prop_assert_eq!(event_count(store, id).await, model.events, "one event per change, none lost");
        let (stored, estimate, approved): (String, Option<i64>, Option<i64>) =
            Sql::new("SELECT state, estimate_minor, approved_minor FROM work_orders WHERE id = ?")
                .bind(id.0)
                .fetch_one(store)
                .await
                .unwrap();
        // Held to the store, not the model (which follows the same graph as the service).
        if before.is_terminal() {
            prop_assert_eq!(stored.as_str(), before.as_str(), "a terminal state was left");
        }
        prop_assert_eq!(stored, model.state.as_str());
        prop_assert_eq!(estimate, model.estimate, "the estimate on record");
        prop_assert_eq!(approved, model.approved, "the approved cost on record");
        prop_assert_eq!(kept_work(store, id).await, work_in_history(store, id).await, "the contractor report's facts");
    }
    Ok(())
}

#[test]
fn random_steps_by_random_people_keep_the_lifecycle_invariants() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let test = runtime.block_on(demo_store());
    let cast = runtime.block_on(cast(&test.store));
    let above = runtime.block_on(approval_above(&test.store, &cast));
    // Estimates either side of the landlord's threshold, and on it (staff may approve).
    let estimate = prop_oneof![Just(above), Just(above + 1), 1..=2 * above];
    let steps = prop::collection::vec((0..Action::ALL.len(), 0..people(&cast).len(), estimate), 1..30);
    let mut runner = TestRunner::new(Config { cases: 256, ..Config::default() });
    let routes = Routes::default();
    runner.run(&steps, |steps| runtime.block_on(run_sequence(&test.store, &cast, above, &routes, &steps))).unwrap();
    assert!(routes.to_landlord.get() > 0, "no estimate went to the landlord");
    assert!(routes.staff_approved.get() > 0, "no estimate was within the landlord's threshold");
}
