//! Notifications on a real store: each event tells exactly the users it concerns, never
//! the one who caused it; a contractor taken off a job is told; reading works only on
//! one's own.

use crate::fixtures::{act, cast, order_in, pence, submit_routine};
use crate::support::{demo_store, now};
use plumbline_domain::api::Step;
use plumbline_domain::{Actor, State, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, notifications, work_orders};

/// Who was told about the order's latest event.
async fn told_of_latest(store: &Store, order: WorkOrderId) -> Vec<i64> {
    let rows: Vec<(i64,)> = Sql::new(
        "SELECT user_id FROM notifications WHERE event_id = (SELECT max(id) FROM work_order_events WHERE work_order_id = ?)
         ORDER BY user_id",
    )
    .bind(order.0)
    .fetch_all(store)
    .await
    .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

async fn agency(store: &Store) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        Sql::new("SELECT id FROM users WHERE role IN ('staff', 'admin') ORDER BY id").fetch_all(store).await.unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

fn ids(actors: &[Actor]) -> Vec<i64> {
    let mut ids: Vec<i64> = actors.iter().map(|a| a.user_id.0).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_request_tells_the_agency_and_not_the_tenant_who_made_it() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = submit_routine(&test.store, &cast).await;
    assert_eq!(told_of_latest(&test.store, order).await, agency(&test.store).await);
}

#[tokio::test]
async fn each_step_tells_its_audience_but_never_the_actor() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = submit_routine(&test.store, &cast).await;
    act(&test.store, cast.staff, order, Step::RequestApproval { estimate_minor: pence(90_000) }).await.unwrap();
    assert_eq!(told_of_latest(&test.store, order).await, ids(&[cast.landlord]), "approval needed");
    act(&test.store, cast.landlord, order, Step::Approve { note: "ok".into() }).await.unwrap();
    assert_eq!(told_of_latest(&test.store, order).await, agency(&test.store).await, "not the approving landlord");
    act(&test.store, cast.staff, order, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();
    assert_eq!(told_of_latest(&test.store, order).await, ids(&[cast.contractor, cast.tenant]));
    act(&test.store, cast.contractor, order, Step::Accept).await.unwrap();
    let mut expected = agency(&test.store).await;
    expected.push(cast.tenant.user_id.0);
    expected.sort_unstable();
    assert_eq!(told_of_latest(&test.store, order).await, expected);
}

#[tokio::test]
async fn a_contractor_taken_off_a_job_is_told() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = order_in(&test.store, &cast, State::Accepted).await;
    let reason = "Faster availability".to_owned();
    act(&test.store, cast.staff, order, Step::Reassign { contractor: cast.other_contractor.user_id, reason })
        .await
        .unwrap();
    let told = told_of_latest(&test.store, order).await;
    assert!(told.contains(&cast.contractor.user_id.0), "the previous contractor");
    assert!(told.contains(&cast.other_contractor.user_id.0), "the new contractor");
    let mine = notifications::list(&test.store, cast.contractor).await.unwrap();
    assert!(mine.items[0].title.starts_with("Job reassigned · PL-"), "{:?}", mine.items[0]);
}

#[tokio::test]
async fn the_bell_counts_unread_and_only_the_owner_may_read_one() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = submit_routine(&test.store, &cast).await;
    act(&test.store, cast.staff, order, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();
    let bell = notifications::list(&test.store, cast.contractor).await.unwrap();
    assert_eq!(bell.unread, 1);
    let item = &bell.items[0];
    assert_eq!(item.order, Some(order));
    assert!(item.title.starts_with("Contractor assigned · PL-"), "{}", item.title);
    assert!(item.body.contains(" – "), "names the job: {}", item.body);
    assert!(bell.desktop, "desktop notifications are on by default");

    let theirs = notifications::mark_read(&test.store, cast.other_contractor, now(), item.id).await;
    assert!(matches!(theirs, Err(ServiceError::NotFound { .. })));
    assert_eq!(notifications::list(&test.store, cast.contractor).await.unwrap().unread, 1);
    notifications::mark_read(&test.store, cast.contractor, now(), item.id).await.unwrap();
    assert_eq!(notifications::list(&test.store, cast.contractor).await.unwrap().unread, 0);

    notifications::set_desktop(&test.store, cast.contractor, false).await.unwrap();
    assert!(!notifications::desktop_enabled(&test.store, cast.contractor.user_id).await.unwrap());
}

#[tokio::test]
async fn the_watcher_sees_only_what_is_newer() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let user: UserId = cast.contractor.user_id;
    let before = notifications::latest_id_before(&test.store, user, now()).await.unwrap();
    let order = submit_routine(&test.store, &cast).await;
    assert!(notifications::newer_than(&test.store, user, before).await.unwrap().is_empty());
    act(&test.store, cast.staff, order, Step::Assign { contractor: user }).await.unwrap();
    let new = notifications::newer_than(&test.store, user, before).await.unwrap();
    assert_eq!(new.len(), 1);
    assert!(notifications::newer_than(&test.store, user, new[0].id).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_generated_past_is_not_announced() {
    let test = demo_store().await;
    let (count,): (i64,) = Sql::new("SELECT count(*) FROM notifications").fetch_one(&test.store).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn an_sla_breach_is_announced_once_to_staff_and_the_contractor() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    assert_eq!(work_orders::announce_sla(&test.store, now()).await.unwrap(), 0, "the generated past is settled");
    let order = order_in(&test.store, &cast, State::Accepted).await;
    assert_eq!(work_orders::announce_sla(&test.store, now()).await.unwrap(), 0, "a new order is on track");

    let later = now() + chrono::Duration::days(40);
    let breached = work_orders::announce_sla(&test.store, later).await.unwrap();
    assert!(breached >= 1);
    let rows: Vec<(i64, String)> = Sql::new(
        "SELECT user_id, title FROM notifications WHERE work_order_id = ? AND title LIKE 'SLA%' ORDER BY user_id",
    )
    .bind(order.0)
    .fetch_all(&test.store)
    .await
    .unwrap();
    let mut expected = agency(&test.store).await;
    expected.push(cast.contractor.user_id.0);
    expected.sort_unstable();
    assert_eq!(rows.iter().map(|(user, _)| *user).collect::<Vec<_>>(), expected);
    assert!(rows.iter().all(|(_, title)| title.starts_with("SLA breached · PL-")), "{rows:?}");
    assert_eq!(work_orders::announce_sla(&test.store, later).await.unwrap(), 0, "once only");
}

#[tokio::test]
async fn closing_a_job_tells_its_contractor_the_payment_is_pending() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = order_in(&test.store, &cast, State::Closed).await;
    let (title,): (String,) =
        Sql::new("SELECT title FROM notifications WHERE work_order_id = ? AND user_id = ? ORDER BY id DESC LIMIT 1")
            .bind(order.0)
            .bind(cast.contractor.user_id.0)
            .fetch_one(&test.store)
            .await
            .unwrap();
    assert!(title.starts_with("Payment pending · PL-"), "{title}");
}

#[tokio::test]
async fn a_visit_is_reminded_once_a_day_before_and_again_if_moved() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    assert_eq!(work_orders::send_reminders(&test.store, now()).await.unwrap(), 0, "the generated past is settled");
    let order = order_in(&test.store, &cast, State::Scheduled).await;
    let (start,): (i64,) = Sql::new("SELECT appointment_start FROM work_orders WHERE id = ?")
        .bind(order.0)
        .fetch_one(&test.store)
        .await
        .unwrap();
    let start = chrono::DateTime::from_timestamp(start, 0).unwrap();
    let day_before = start - chrono::Duration::hours(20);
    assert!(work_orders::send_reminders(&test.store, day_before).await.unwrap() >= 1);
    let told: Vec<(i64,)> = Sql::new(
        "SELECT user_id FROM notifications WHERE work_order_id = ? AND title LIKE 'Appointment reminder%' ORDER BY user_id",
    )
    .bind(order.0)
    .fetch_all(&test.store)
    .await
    .unwrap();
    assert_eq!(told.into_iter().map(|(id,)| id).collect::<Vec<_>>(), ids(&[cast.tenant, cast.contractor]));
    assert_eq!(work_orders::send_reminders(&test.store, day_before).await.unwrap(), 0, "once only");

    Sql::new("UPDATE work_orders SET appointment_start = appointment_start + 3600 WHERE id = ?")
        .bind(order.0)
        .execute(&test.store)
        .await
        .unwrap();
    assert!(
        work_orders::send_reminders(&test.store, day_before).await.unwrap() >= 1,
        "a moved visit is reminded again"
    );
}
