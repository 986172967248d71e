//! Many writers at once, as on a shared store: every write either lands or is refused
//! for a reason the user can act on (a `conflict`), never "something went wrong", and
//! every acknowledged write is stored. In one process, and across two processes on one
//! store (the child processes are this test binary, re-run on one ignored test).

use crate::fixtures::{cast, submit_routine};
use crate::support::{StoreAddress, demo_store, now, open_address};
use chrono::Duration;
use plumbline_domain::api::{ActOnWorkOrder, PostMessage, Step};
use plumbline_domain::{Actor, Priority, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, messages, work_orders};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};

const WRITES: usize = 300;

/// Set in a child process: the store to write to, the order, and how many messages.
const CHILD_STORE: &str = "PLUMBLINE_CONCURRENCY_STORE";
const CHILD_ORDER: &str = "PLUMBLINE_CONCURRENCY_ORDER";
const CHILD_ACTOR: &str = "PLUMBLINE_CONCURRENCY_ACTOR";
const CHILD_WRITES: &str = "PLUMBLINE_CONCURRENCY_WRITES";
/// Each acknowledged message's id, one per line, after this marker.
const ACKNOWLEDGED: &str = "acknowledged message ";

/// Posts `count` messages at once; the ids of those acknowledged, and every error.
async fn post_many(store: &Store, actor: Actor, order: WorkOrderId, count: usize) -> (Vec<i64>, Vec<ServiceError>) {
    let writes = (0..count).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let request = PostMessage { id: order, body: format!("Concurrent note {i}"), internal: false };
            // A minute apart, so one author stays within `MESSAGES_PER_MINUTE` (both
            // processes together post two a minute).
            messages::post(&store, actor, now() + Duration::minutes(i64::try_from(i).unwrap()), &request).await
        })
    });
    let mut acknowledged = Vec::new();
    let mut errors = Vec::new();
    for write in futures_join(writes).await {
        match write {
            Ok(message) => acknowledged.push(message.id.0),
            Err(error) => errors.push(error),
        }
    }
    (acknowledged, errors)
}

async fn futures_join<T: Send + 'static>(tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let tasks: Vec<_> = tasks.collect();
    let mut done = Vec::with_capacity(tasks.len());
    for task in tasks {
        done.push(task.await.expect("the write task ran to the end"));
    }
    done
}

async fn stored_message_ids(store: &Store, order: WorkOrderId) -> BTreeSet<i64> {
    let rows: Vec<(i64,)> =
        Sql::new("SELECT id FROM messages WHERE work_order_id = ?").bind(order.0).fetch_all(store).await.unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_concurrent_messages_in_one_process_all_land() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = submit_routine(store, &cast).await;

    let (acknowledged, errors) = post_many(store, cast.tenant, order, WRITES).await;

    assert!(errors.is_empty(), "{} of {WRITES} writes failed, e.g. {:?}", errors.len(), errors.first());
    let stored = stored_message_ids(store, order).await;
    assert_eq!(stored, acknowledged.into_iter().collect(), "every acknowledged message is stored, nothing else");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_concurrent_messages_from_two_processes_all_land() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = submit_routine(store, &cast).await;
    let address = test.address();

    let children: Vec<_> = [cast.tenant, cast.staff]
        .into_iter()
        .map(|actor| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "concurrency::child_process_posts_messages", "--ignored", "--nocapture"])
                .env(CHILD_STORE, address.to_string())
                .env(CHILD_ORDER, order.0.to_string())
                .env(CHILD_ACTOR, format!("{}:{}", actor.user_id.0, actor.role.as_str()))
                .env(CHILD_WRITES, (WRITES / 2).to_string())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut acknowledged = BTreeSet::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "a writer process failed:\n{stdout}");
        acknowledged.extend(stdout.lines().filter_map(|line| line.strip_prefix(ACKNOWLEDGED)?.parse::<i64>().ok()));
    }

    assert_eq!(acknowledged.len(), WRITES, "every write of both processes was acknowledged");
    assert_eq!(stored_message_ids(store, order).await, acknowledged, "and every acknowledged one is stored");
}

/// The writer the two-process test starts twice; does nothing when run on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "run by three_hundred_concurrent_messages_from_two_processes_all_land"]
async fn child_process_posts_messages() {
    let Ok(address) = std::env::var(CHILD_STORE) else { return };
    let store = open_address(&address.parse::<StoreAddress>().unwrap()).await;
    let order = WorkOrderId(std::env::var(CHILD_ORDER).unwrap().parse().unwrap());
    let actor = std::env::var(CHILD_ACTOR).unwrap();
    let (id, role) = actor.split_once(':').unwrap();
    let actor = Actor {
        user_id: plumbline_domain::UserId(id.parse().unwrap()),
        role: plumbline_domain::Role::parse(role).unwrap(),
    };
    let count = std::env::var(CHILD_WRITES).unwrap().parse().unwrap();

    let (acknowledged, errors) = post_many(&store, actor, order, count).await;

    for id in &acknowledged {
        println!("{ACKNOWLEDGED}{id}");
    }
    assert!(errors.is_empty(), "{} of {count} writes failed, e.g. {:?}", errors.len(), errors.first());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_steps_on_one_order_give_one_winner_and_conflicts_never_internal_errors() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = submit_routine(store, &cast).await;
    let version = crate::fixtures::version_of(store, order).await;

    let racers = (0..20).map(|i| {
        let store = store.clone();
        let staff = cast.staff;
        tokio::spawn(async move {
            let step = Step::SetPriority { priority: Priority::Urgent, reason: format!("Racer {i}") };
            work_orders::act(&store, staff, now(), &ActOnWorkOrder { id: order, version, step }).await
        })
    });
    let outcomes = futures_join(racers).await;

    let won = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    let conflicts = outcomes.iter().filter(|outcome| matches!(outcome, Err(ServiceError::Conflict))).count();
    assert_eq!((won, conflicts), (1, 19), "one step lands, the rest are told to reload: {outcomes:?}");
    assert_eq!(crate::fixtures::version_of(store, order).await, version + 1);
}
