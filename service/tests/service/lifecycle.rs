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
        (
            completed,
            Step::Complete { notes: "   ".into(), invoice_minor: pence(500), approve_overrun: None },
            Field::Notes,
        ),
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
    let staff_name = plumbline_service::users::current(&test.store, cast.staff).await.unwrap().name;
    let assigned = &tenant_feed[0].summary;
    assert!(assigned.starts_with(&format!("{staff_name} assigned ")), "{assigned}");
    assert!(assigned.ends_with(&format!(" to {}", plumbline_domain::Reference::of(id))), "{assigned}");
    let tenant_name = plumbline_service::users::current(&test.store, cast.tenant).await.unwrap().name;
    assert_eq!(
        tenant_feed[1].summary,
        format!("{tenant_name} raised {}: Plumbing – Blocked drain", plumbline_domain::Reference::of(id))
    );
    assert!(tenant_feed.windows(2).all(|w| w[0].at >= w[1].at));
    let outsider_feed = work_orders::recent_activity(&test.store, cast.other_tenant, 200).await.unwrap();
    assert!(outsider_feed.iter().all(|item| item.id != id));
    let contractor_feed = work_orders::recent_activity(&test.store, cast.contractor, 5).await.unwrap();
    assert_eq!(contractor_feed[0].id, id);
}

async fn latest_note(store: &Store, order: plumbline_domain::WorkOrderId) -> String {
    let detail = work_orders::detail(store, crate::fixtures::cast(store).await.staff, now(), order).await.unwrap();
    detail.timeline.last().unwrap().note.clone()
}

#[tokio::test]
async fn a_landlord_declining_an_estimate_hands_the_order_back_to_the_agency_with_the_reason() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = order_in(store, &cast, State::AwaitingApproval).await;

    let refused = act(store, cast.landlord, order, Step::Reject { reason: "Too dear".into() }).await;
    assert!(matches!(refused, Err(ServiceError::InvalidTransition(_))), "{refused:?}");
    let blank = act(store, cast.landlord, order, Step::DeclineEstimate { reason: " ".into() }).await;
    assert!(matches!(&blank, Err(ServiceError::Validation { field: Field::Reason, .. })), "{blank:?}");
    assert_eq!(blank.unwrap_err().to_string(), "give a reason");
    let outcome =
        act(store, cast.landlord, order, Step::DeclineEstimate { reason: "Too dear: get a second quote".into() })
            .await
            .unwrap();

    assert_eq!(outcome.state, State::New, "the repair stands; the agency acts on it again");
    assert_eq!(
        latest_note(store, order).await,
        "The landlord declined the estimate of £900.00: Too dear: get a second quote"
    );
    let detail = work_orders::detail(store, cast.staff, now(), order).await.unwrap();
    for action in [Action::RequestApproval, Action::Assign, Action::Cancel] {
        assert!(detail.allowed_actions.contains(&action), "staff may {action:?}");
    }
    let (estimate,): (Option<i64>,) =
        Sql::new("SELECT estimate_minor FROM work_orders WHERE id = ?").bind(order.0).fetch_one(store).await.unwrap();
    assert_eq!(estimate, None, "the declined estimate is not left standing");
    let staff_bell = plumbline_service::notifications::list(store, cast.staff).await.unwrap();
    assert!(
        staff_bell.items.iter().any(|n| n.title.starts_with("Estimate declined · ") && n.body.contains("second quote"))
    );
}

#[tokio::test]
async fn an_emergency_estimate_approved_by_staff_tells_the_landlord_so_not_asks_them() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = crate::fixtures::submit_routine(store, &cast).await;
    let emergency = Step::SetPriority {
        priority: plumbline_domain::Priority::Emergency,
        reason: "Water through the ceiling".into(),
    };
    act(store, cast.staff, order, emergency).await.unwrap();

    let outcome = act(store, cast.staff, order, Step::RequestApproval { estimate_minor: pence(90_000) }).await.unwrap();

    assert_eq!(outcome.state, State::New, "approved at once");
    let note = latest_note(store, order).await;
    assert_eq!(
        note,
        "Emergency: estimate £900.00 approved by staff so the work can start now (above the landlord's £500.00 approval limit; the landlord is told)"
    );
    let bell = plumbline_service::notifications::list(store, cast.landlord).await.unwrap();
    let told = bell.items.iter().find(|n| n.order == Some(order)).expect("the landlord is told");
    assert!(told.title.starts_with("Estimate approved by the agency · "), "{}", told.title);
    assert!(told.body.contains("approved by staff"), "{}", told.body);
}

#[tokio::test]
async fn starting_or_completing_before_the_appointment_is_recorded() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    // Scheduled for tomorrow (the sample step), started and completed today.
    let order = order_in(store, &cast, State::Scheduled).await;

    act(store, cast.contractor, order, Step::Start).await.unwrap();
    assert_eq!(latest_note(store, order).await, "Started before the appointment booked for Tue 24 Nov 09:30");
    act(
        store,
        cast.contractor,
        order,
        Step::Complete { notes: "Replaced washer".into(), invoice_minor: pence(9_000), approve_overrun: None },
    )
    .await
    .unwrap();
    assert_eq!(
        latest_note(store, order).await,
        "Replaced washer (invoice £90.00). Completed before the appointment booked for Tue 24 Nov 09:30"
    );

    let on_time = order_in(store, &cast, State::Scheduled).await;
    let tomorrow = now() + chrono::Duration::days(1);
    work_orders::act(
        store,
        cast.contractor,
        tomorrow,
        &plumbline_domain::api::ActOnWorkOrder {
            id: on_time,
            version: version_of(store, on_time).await,
            step: Step::Start,
        },
    )
    .await
    .unwrap();
    assert_eq!(latest_note(store, on_time).await, "", "on time needs no remark");
}

#[tokio::test]
async fn each_party_is_told_what_they_are_to_the_order() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = order_in(store, &cast, State::Assigned).await;
    for (actor, party) in [
        (cast.staff, Party::Agency),
        (cast.landlord, Party::OwningLandlord),
        (cast.contractor, Party::AssignedContractor),
        (cast.tenant, Party::RequestingTenant),
    ] {
        assert_eq!(work_orders::detail(store, actor, now(), order).await.unwrap().viewer, party);
    }
}
