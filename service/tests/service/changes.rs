//! The change feed: every committed change is announced once, to exactly who may see it;
//! a reader following `since` with its cursor gets each exactly once, however many
//! writers commit at once; and `subscribe` wakes soon after a commit by this process or
//! another (the other is this test binary, re-run on one ignored test).

use crate::fixtures::{Cast, cast, order_in, submit_routine};
use crate::support::{StoreAddress, demo_store, now, open_address};
use plumbline_domain::api::{PostDirectMessage, PostMessage, RecordPayout};
use plumbline_domain::{Actor, Change, ChangeKind, ChangeSubject, Role, State, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{Store, changes, messages, payments};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child process: the store to write to, the order, the tenant who writes.
const CHILD_STORE: &str = "PLUMBLINE_CHANGES_STORE";
const CHILD_ORDER: &str = "PLUMBLINE_CHANGES_ORDER";
const CHILD_TENANT: &str = "PLUMBLINE_CHANGES_TENANT";

/// Everything after `after` that `actor` may see, page by page (`page` at a time).
async fn follow(store: &Store, actor: Actor, mut after: i64, page: i64) -> Vec<Change> {
    let mut seen = Vec::new();
    loop {
        let next = changes::since(store, actor, after, page).await.unwrap();
        let Some(last) = next.last() else { return seen };
        after = last.id;
        seen.extend(next);
    }
}

fn kinds_on(seen: &[Change], order: WorkOrderId) -> BTreeSet<ChangeKind> {
    seen.iter()
        .filter(|change| change.subject == ChangeSubject::Order { id: order })
        .map(|change| change.kind)
        .collect()
}

async fn post(store: &Store, actor: Actor, order: WorkOrderId, body: &str, internal: bool) {
    let request = PostMessage { id: order, body: body.into(), internal };
    messages::post(store, actor, now(), &request).await.unwrap();
}

async fn notifications_after(store: &Store, user: UserId, after: i64) -> usize {
    let (count,): (i64,) = Sql::new("SELECT count(*) FROM notifications WHERE user_id = ? AND id > ?")
        .bind(user.0)
        .bind(after)
        .fetch_one(store)
        .await
        .unwrap();
    usize::try_from(count).unwrap()
}

/// A closed order (submitted, stepped, paid), a message and an internal note on it, a
/// direct message from its tenant, and another landlord's new order.
async fn one_of_everything(store: &Store, cast: &Cast) -> (WorkOrderId, WorkOrderId) {
    let order = order_in(store, cast, State::Closed).await;
    let payout = RecordPayout { id: order, reference: "BACS-0042".into(), paid_on: now().date_naive() };
    payments::record_payout(store, cast.staff, now(), &payout).await.unwrap();
    post(store, cast.tenant, order, "Thanks, all working", false).await;
    post(store, cast.staff, order, "Invoice checked", true).await;
    let direct = PostDirectMessage { tenant: None, body: "When is the boiler service?".into() };
    messages::post_direct(store, cast.tenant, now(), &direct).await.unwrap();
    let other = submit_routine(store, &cast.others()).await;
    (order, other)
}

#[tokio::test]
async fn each_change_reaches_exactly_who_may_see_it() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let start = changes::latest(store).await.unwrap();
    let (last_notification,): (Option<i64>,) =
        Sql::new("SELECT max(id) FROM notifications").fetch_one(store).await.unwrap();
    let (order, other) = one_of_everything(store, &cast).await;

    use ChangeKind::*;
    let everything = BTreeSet::from([Submitted, Step, Payout, Message, InternalNote]);
    let without_internal_or_payout = BTreeSet::from([Submitted, Step, Message]);
    let expected = [
        (cast.staff, everything, true, true),
        (cast.contractor, BTreeSet::from([Submitted, Step, Payout, Message]), false, false),
        (cast.landlord, without_internal_or_payout.clone(), false, false),
        (cast.tenant, without_internal_or_payout, false, true),
        (cast.other_landlord, BTreeSet::new(), true, false),
        (cast.other_tenant, BTreeSet::new(), true, false),
        (cast.other_contractor, BTreeSet::new(), false, false),
    ];
    for (actor, order_kinds, sees_other_order, sees_direct_thread) in expected {
        let seen = follow(store, actor, start, 500).await;
        assert_eq!(kinds_on(&seen, order), order_kinds, "{actor:?}");
        assert_eq!(!kinds_on(&seen, other).is_empty(), sees_other_order, "{actor:?} and the other landlord's order");
        let direct = ChangeSubject::DirectThread { tenant: cast.tenant.user_id };
        assert_eq!(seen.iter().any(|change| change.subject == direct), sees_direct_thread, "{actor:?}");
        let bell: Vec<_> = seen.iter().filter(|change| matches!(change.subject, ChangeSubject::User { .. })).collect();
        assert!(bell.iter().all(|change| change.subject == ChangeSubject::User { id: actor.user_id }), "{actor:?}");
        let written = notifications_after(store, actor.user_id, last_notification.unwrap_or(0)).await;
        assert_eq!(bell.len(), written, "{actor:?} hears of each of their own notifications once");
    }
}

#[tokio::test]
async fn a_notification_is_announced_to_its_user_in_its_own_transaction() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let start = changes::latest(store).await.unwrap();

    submit_routine(store, &cast).await;

    let (recipients,): (i64,) = Sql::new("SELECT count(*) FROM notifications").fetch_one(store).await.unwrap();
    let (announced,): (i64,) = Sql::new("SELECT count(*) FROM changes WHERE kind = 'Notification' AND id > ?")
        .bind(start)
        .fetch_one(store)
        .await
        .unwrap();
    assert!(recipients > 0, "a submission tells the agency");
    assert_eq!(announced, recipients, "one change per notification row");
    let staff = follow(store, cast.staff, start, 500).await;
    assert!(staff.iter().any(|change| change.subject == ChangeSubject::User { id: cast.staff.user_id }));
}

#[tokio::test]
async fn the_generated_past_is_not_announced_and_latest_starts_from_now() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    assert_eq!(changes::latest(store).await.unwrap(), 0, "the demo's history was recorded quietly");

    let order = submit_routine(store, &cast).await;

    let latest = changes::latest(store).await.unwrap();
    assert!(latest > 0);
    assert!(changes::since(store, cast.staff, latest, 100).await.unwrap().is_empty(), "nothing after the newest");
    let seen = follow(store, cast.tenant, 0, 100).await;
    assert_eq!(
        seen.first().map(|change| (change.subject, change.kind)),
        Some((ChangeSubject::Order { id: order }, ChangeKind::Submitted))
    );
}

#[tokio::test]
async fn following_since_from_any_id_gives_each_later_change_exactly_once() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let start = changes::latest(store).await.unwrap();
    one_of_everything(store, &cast).await;

    let whole = follow(store, cast.staff, start, 1000).await;
    assert!(whole.len() > 10, "{whole:?}");
    assert!(whole.windows(2).all(|pair| pair[0].id < pair[1].id), "oldest first, each once");
    for page in [1, 2, 7] {
        assert_eq!(follow(store, cast.staff, start, page).await, whole, "pages of {page}");
    }
    for (i, change) in whole.iter().enumerate() {
        assert_eq!(follow(store, cast.staff, change.id, 3).await, whole[i + 1..], "resumed after {}", change.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_following_its_cursor_meets_every_change_of_concurrent_writers_once() {
    const WRITERS: usize = 20;
    const EACH: usize = 5;
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = submit_routine(store, &cast).await;
    let start = changes::latest(store).await.unwrap();

    let reader = tokio::spawn(read_until_quiet(store.clone(), cast.staff, start, WRITERS * EACH));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let store = store.clone();
            let actor = if writer % 2 == 0 { cast.tenant } else { cast.staff };
            tokio::spawn(async move {
                for i in 0..EACH {
                    // Each a minute apart, so one author stays within `MESSAGES_PER_MINUTE`.
                    let at = now() + chrono::Duration::minutes(i64::try_from(writer * EACH + i).unwrap());
                    let body = format!("Writer {writer}, message {i}");
                    let request = PostMessage { id: order, body, internal: writer % 4 == 1 };
                    messages::post(&store, actor, at, &request).await.unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let followed = reader.await.unwrap();

    let ids: Vec<i64> = followed.iter().map(|change| change.id).collect();
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no change twice");
    assert_eq!(followed, follow(store, cast.staff, start, 1000).await, "no change missed, in id order");
    assert_eq!(followed.len(), WRITERS * EACH);
}

/// Reads `since` in small pages as fast as it can (while the writers commit) until it
/// has `expected` changes; everything it met, in order.
async fn read_until_quiet(store: Store, actor: Actor, mut after: i64, expected: usize) -> Vec<Change> {
    let mut met = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while met.len() < expected && Instant::now() < deadline {
        let page = changes::since(&store, actor, after, 3).await.unwrap();
        if let Some(last) = page.last() {
            after = last.id;
        }
        met.extend(page);
        tokio::task::yield_now().await;
    }
    met
}

/// Waits (on wakes only, never on a timer) until `actor` has a change after `after`;
/// when it was seen.
async fn wait_for_change(
    store: &Store,
    wakes: &mut tokio::sync::broadcast::Receiver<()>,
    actor: Actor,
    after: i64,
) -> Option<Instant> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if !changes::since(store, actor, after, 10).await.unwrap().is_empty() {
            return Some(Instant::now());
        }
        let left = deadline.checked_duration_since(Instant::now())?;
        // A wake, or one that lagged: either way, read again.
        tokio::time::timeout(left, wakes.recv()).await.ok()?.ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_wakes_within_a_second_of_a_commit_in_this_process() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = submit_routine(store, &cast).await;
    let mut wakes = store.subscribe();
    let after = changes::latest(store).await.unwrap();

    let committed = Instant::now();
    post(store, cast.tenant, order, "Still dripping", false).await;
    let seen = wait_for_change(store, &mut wakes, cast.landlord, after).await.expect("woken");

    let latency = seen - committed;
    eprintln!("same process: seen {latency:?} after the commit began");
    assert!(latency < Duration::from_secs(1), "{latency:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_wakes_when_another_process_commits() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let order = submit_routine(store, &cast).await;
    let mut wakes = store.subscribe();
    let after = changes::latest(store).await.unwrap();

    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "changes::child_process_posts_a_message", "--ignored", "--nocapture"])
        .env(CHILD_STORE, test.address().to_string())
        .env(CHILD_ORDER, order.0.to_string())
        .env(CHILD_TENANT, cast.tenant.user_id.0.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let exited = tokio::task::spawn_blocking(move || (child.wait_with_output().unwrap(), Instant::now()));
    let seen = wait_for_change(store, &mut wakes, cast.staff, after).await;
    let (output, exited_at) = exited.await.unwrap();

    assert!(output.status.success(), "the writer process failed:\n{}", String::from_utf8_lossy(&output.stdout));
    let seen = seen.expect("woken by the other process's commit");
    assert!(seen < exited_at + Duration::from_secs(1), "seen {:?} after the writer exited", seen - exited_at);
    let heard = changes::since(store, cast.staff, after, 10).await.unwrap();
    assert_eq!(heard.iter().map(|change| change.kind).collect::<Vec<_>>(), [ChangeKind::Message]);
}

/// The writer the two-process test starts; does nothing when run on its own.
#[tokio::test]
#[ignore = "run by a_subscriber_wakes_when_another_process_commits"]
async fn child_process_posts_a_message() {
    let Ok(address) = std::env::var(CHILD_STORE) else { return };
    let store = open_address(&address.parse::<StoreAddress>().unwrap()).await;
    let order = WorkOrderId(std::env::var(CHILD_ORDER).unwrap().parse().unwrap());
    let tenant = UserId(std::env::var(CHILD_TENANT).unwrap().parse().unwrap());
    post(&store, Actor { user_id: tenant, role: Role::Tenant }, order, "From the other process", false).await;
}
