//! Repeats that would flood other people (issue #16): a tenant rates a job once, a person
//! asks to reschedule a visit at most `RESCHEDULE_REQUESTS_PER_DAY` times a day, and no one
//! posts more than `MESSAGES_PER_MINUTE` messages a minute. Each refusal says why and
//! stores nothing (no event, no notification, no message).

use crate::fixtures::{act, act_at, cast, fingerprint, order_in, table_counts};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::api::{PostDirectMessage, PostMessage, Step};
use plumbline_domain::limits::{MESSAGES_PER_MINUTE, RESCHEDULE_REQUESTS_PER_DAY};
use plumbline_domain::{Action, Actor, State};
use plumbline_service::{ServiceError, messages, work_orders};

fn assert_refused<T: std::fmt::Debug>(result: Result<T, ServiceError>, says: &str) {
    match result {
        Err(ServiceError::NotAllowed(message)) => assert!(message.contains(says), "{message}"),
        other => panic!("expected a refusal saying {says:?}, got {other:?}"),
    }
}

fn reschedule() -> Step {
    Step::RequestReschedule { note: "Could it be after 4pm?".into() }
}

#[tokio::test]
async fn a_tenant_rates_a_job_once_and_a_second_rating_stores_nothing() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Closed).await;
    act(store, cast.tenant, id, Step::Rate { stars: 5, comment: "Quick and tidy".into() }).await.unwrap();
    let detail = work_orders::detail(store, cast.tenant, now(), id).await.unwrap();
    assert!(!detail.allowed_actions.contains(&Action::Rate), "a rated job offers no second rating");

    let before = fingerprint(store, id).await;
    let again = act(store, cast.tenant, id, Step::Rate { stars: 1, comment: "Changed my mind".into() }).await;
    assert_refused(again, "already rated");
    assert_refused(work_orders::explain(store, cast.tenant, now(), id, Action::Rate).await, "already rated");
    assert_eq!(fingerprint(store, id).await, before, "the refusal stored nothing and notified no one");
}

#[tokio::test]
async fn reschedule_requests_are_limited_per_person_per_order_per_day() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Scheduled).await;
    for _ in 0..RESCHEDULE_REQUESTS_PER_DAY {
        act(store, cast.tenant, id, reschedule()).await.unwrap();
    }
    let before = fingerprint(store, id).await;
    assert_refused(act(store, cast.tenant, id, reschedule()).await, "call the agency");
    assert_refused(act_at(store, cast.tenant, id, reschedule(), now() + Duration::hours(23)).await, "call the agency");
    assert_eq!(fingerprint(store, id).await, before, "the refusal stored nothing and notified no one");

    // Each person's own count, on each order: the contractor may still ask.
    act(store, cast.contractor, id, reschedule()).await.unwrap();
    // A day later the tenant may ask again.
    act_at(store, cast.tenant, id, reschedule(), now() + Duration::hours(25)).await.unwrap();
}

#[tokio::test]
async fn messages_are_limited_per_person_per_minute_over_all_their_threads() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    let post = |actor: Actor, at: DateTime<Utc>, n: i64| {
        let request = PostMessage { id, body: format!("Message {n}"), internal: false };
        async move { messages::post(store, actor, at, &request).await }
    };
    for n in 0..MESSAGES_PER_MINUTE - 1 {
        post(cast.tenant, now() - Duration::seconds(50) + Duration::seconds(n), n).await.unwrap();
    }
    let direct = PostDirectMessage { tenant: None, body: "And one more thing".into() };
    messages::post_direct(store, cast.tenant, now(), &direct).await.unwrap();

    let before = table_counts(store).await;
    assert_refused(post(cast.tenant, now(), 99).await, "in the last minute");
    assert_refused(messages::post_direct(store, cast.tenant, now(), &direct).await, "in the last minute");
    assert_eq!(table_counts(store).await, before, "nothing was stored");

    // Someone else may still write; and a minute after the first, so may the tenant.
    post(cast.staff, now(), 100).await.unwrap();
    post(cast.tenant, now() + Duration::seconds(11), 101).await.unwrap();
}
