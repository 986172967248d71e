use crate::support::{demo_store, empty_store, now};
use plumbline_domain::api::{ListWorkOrders, WorkOrderFilter};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{Actor, Role, State, UserId};
use plumbline_service::db::{Engine, Sql};
use plumbline_service::seed::AgencySize;
use plumbline_service::store::SQLITE_PAGE_CACHE_KIB;
use plumbline_service::{users, work_orders};

fn page(limit: u32) -> ListWorkOrders {
    ListWorkOrders { filter: WorkOrderFilter::default(), sort: Default::default(), after: None, limit }
}

#[tokio::test]
async fn the_demo_agency_has_orders_in_every_state() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let all = work_orders::list(&test.store, staff, now(), &page(50)).await.unwrap();
    assert_eq!(all.total, Some(AgencySize::DEMO.orders as u64));
    for state in State::ALL {
        let request =
            ListWorkOrders { filter: WorkOrderFilter { states: vec![state], ..WorkOrderFilter::default() }, ..page(1) };
        let found = work_orders::list(&test.store, staff, now(), &request).await.unwrap();
        assert!(found.total > Some(0), "no demo order is {state:?}");
        assert!(found.rows.iter().all(|r| r.state == state));
    }
}

/// Whatever the day and hour the demo is generated on (a weekend night, a bank holiday,
/// a working afternoon), its desk shows work in every state and under every SLA badge,
/// and open work both at risk and breached.
#[tokio::test]
async fn the_demo_shows_every_state_and_sla_badge_whenever_it_is_generated() {
    for at in ["2026-12-04T19:24:00Z", "2026-12-06T02:10:00Z", "2026-12-25T11:00:00Z", "2027-03-31T14:45:00Z"] {
        let at = chrono::DateTime::parse_from_rfc3339(at).unwrap().with_timezone(&chrono::Utc);
        let test = plumbline_test_support::demo_store_at(at).await;
        let staff = users::first_staff(&test.store).await.unwrap();
        let rows = work_orders::list(&test.store, staff, at, &page(500)).await.unwrap().rows;
        for state in State::ALL {
            assert!(rows.iter().any(|r| r.state == state), "no {state:?} order in a demo generated at {at}");
        }
        for badge in
            [SlaStatus::OnTrack, SlaStatus::AtRisk, SlaStatus::Breached, SlaStatus::Met, SlaStatus::NotApplicable]
        {
            assert!(rows.iter().any(|r| r.sla == badge), "no {badge:?} order in a demo generated at {at}");
        }
        // The desk's alerts count work still to do: some at risk, some breached.
        let board = work_orders::staff_dashboard(&test.store, staff, at).await.unwrap();
        for alert in ["SLA at risk", "SLA breached"] {
            let count = board.alerts.iter().find(|c| c.label == alert).map_or(0, |c| c.count);
            assert!(count > 0, "no order is {alert} on the desk of a demo generated at {at}");
        }
    }
}

/// The contractor report reads what each step keeps on the order; the demo's orders
/// keep what their generated histories say.
#[tokio::test]
async fn each_demo_order_keeps_its_contractors_work_as_its_history_says() {
    let test = demo_store().await;
    let differing: Vec<(i64,)> = Sql::new(
        "SELECT w.id FROM work_orders w
         WHERE coalesce(w.offered_at, -1) <> coalesce((SELECT max(e.at) FROM work_order_events e
                   WHERE e.work_order_id = w.id AND e.action IN ('Assign', 'Reassign')), -1)
            OR coalesce(w.accepted_at, -1) <> coalesce((SELECT max(e.at) FROM work_order_events e
                   WHERE e.work_order_id = w.id AND e.action = 'Accept'), -1)
            OR coalesce(w.started_at, -1) <> coalesce((SELECT min(e.at) FROM work_order_events e
                   WHERE e.work_order_id = w.id AND e.action = 'Start'), -1)
            OR w.sent_back <> (SELECT count(*) FROM work_order_events e
                   WHERE e.work_order_id = w.id AND e.action IN ('Reopen', 'ReportNotDone'))",
    )
    .fetch_all(&test.store)
    .await
    .unwrap();
    assert!(differing.is_empty(), "orders whose kept work differs from their history: {differing:?}");
    let (sent_back,): (i64,) =
        Sql::new("SELECT count(*) FROM work_orders WHERE sent_back > 0").fetch_one(&test.store).await.unwrap();
    assert!(sent_back > 0, "the demo sends some work back");
}

#[tokio::test]
async fn seeding_twice_leaves_the_first_agency_alone() {
    let test = demo_store().await;
    assert!(!plumbline_service::seed::demo_if_empty(&test.store, now()).await.unwrap());
}

#[tokio::test]
async fn keyset_pages_cover_every_order_once_newest_first() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let mut request = page(37);
    let mut seen = Vec::new();
    loop {
        let page = work_orders::list(&test.store, staff, now(), &request).await.unwrap();
        seen.extend(page.rows.iter().map(|r| (r.opened_at, r.id)));
        match page.next {
            Some(cursor) => request.after = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen.len(), AgencySize::DEMO.orders);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "not strictly newest first");
}

#[tokio::test]
async fn a_detail_carries_the_timeline_from_submission_on() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let request = ListWorkOrders {
        filter: WorkOrderFilter { states: vec![State::Closed], ..WorkOrderFilter::default() },
        ..page(1)
    };
    let row = work_orders::list(&test.store, staff, now(), &request).await.unwrap().rows.remove(0);
    let detail = work_orders::detail(&test.store, staff, now(), row.id).await.unwrap();
    let first = detail.timeline.first().unwrap();
    assert_eq!(first.note, format!("New maintenance task: {} – {}", row.category, row.subcategory));
    assert_eq!(detail.timeline.last().unwrap().to, Some(State::Closed));
    assert!(detail.timeline.windows(2).all(|w| w[0].to == w[1].from || w[1].from.is_none()));
}

#[tokio::test]
async fn a_tenant_lists_only_their_own_requests_and_cannot_open_others() {
    let test = demo_store().await;
    let staff = users::first_staff(&test.store).await.unwrap();
    let any = work_orders::list(&test.store, staff, now(), &page(1)).await.unwrap().rows.remove(0);
    let (tenant_id,): (i64,) =
        Sql::new("SELECT tenant_id FROM work_orders WHERE id = ?").bind(any.id.0).fetch_one(&test.store).await.unwrap();
    let tenant = Actor { user_id: UserId(tenant_id), role: Role::Tenant };
    let own = work_orders::list(&test.store, tenant, now(), &page(500)).await.unwrap();
    let (expected,): (i64,) = Sql::new("SELECT count(*) FROM work_orders WHERE tenant_id = ?")
        .bind(tenant_id)
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(own.total, Some(expected as u64));
    assert!(own.rows.iter().any(|r| r.id == any.id));

    let (other,): (i64,) = Sql::new("SELECT id FROM work_orders WHERE tenant_id <> ? LIMIT 1")
        .bind(tenant_id)
        .fetch_one(&test.store)
        .await
        .unwrap();
    let err = work_orders::detail(&test.store, tenant, now(), plumbline_domain::WorkOrderId(other)).await.unwrap_err();
    assert!(matches!(err, plumbline_service::ServiceError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn a_new_store_is_migrated_with_foreign_keys_wal_and_a_small_page_cache() {
    let test = empty_store().await;
    // WAL, the foreign-keys switch and the page cache are SQLite's; PostgreSQL always
    // enforces keys.
    if test.store.engine() == Engine::Sqlite {
        let (mode,): (String,) = Sql::new("PRAGMA journal_mode").fetch_one(&test.store).await.unwrap();
        let (fk,): (i64,) = Sql::new("PRAGMA foreign_keys").fetch_one(&test.store).await.unwrap();
        let (cache,): (i64,) = Sql::new("PRAGMA cache_size").fetch_one(&test.store).await.unwrap();
        assert_eq!((mode.as_str(), fk, cache), ("wal", 1, -i64::from(SQLITE_PAGE_CACHE_KIB)));
    }
    assert!(test.store.is_empty().await.unwrap());
    let orphan = Sql::new("INSERT INTO units (property_id, label) VALUES (999, 'x')").execute(&test.store).await;
    assert!(orphan.is_err(), "a unit without its property was accepted");
}

/// A stored payout beside the order it pays.
#[derive(sqlx::FromRow)]
struct PaidOrder {
    #[sqlx(try_from = "String")]
    state: State,
    invoice_minor: Option<i64>,
    contractor_id: i64,
    closed_at: i64,
    paid_to: i64,
    amount_minor: i64,
    paid_at: i64,
    recorded_at: i64,
}

#[tokio::test]
async fn the_demo_has_paid_most_older_closed_jobs_as_staff_would_have() {
    let test = demo_store().await;
    let payouts: Vec<PaidOrder> = Sql::new(
        "SELECT w.state, w.invoice_minor, w.contractor_id, w.closed_at, po.contractor_id AS paid_to, po.amount_minor,
                po.paid_at, po.recorded_at
         FROM payouts po JOIN work_orders w ON w.id = po.work_order_id",
    )
    .fetch_all(&test.store)
    .await
    .unwrap();
    for paid in &payouts {
        assert_eq!((paid.state, paid.contractor_id), (State::Closed, paid.paid_to), "closed jobs, their contractor");
        assert_eq!(paid.invoice_minor, Some(paid.amount_minor), "the invoice is what is paid");
        let recorded = paid.recorded_at;
        assert!(paid.closed_at < recorded && recorded <= now().timestamp(), "after closing, never in the future");
        // A clock-change day lasts 25 hours.
        assert!(paid.paid_at <= recorded && recorded - paid.paid_at < 25 * 3_600, "dated the day it was recorded");
    }
    let (events,): (i64,) = Sql::new("SELECT count(*) FROM work_order_events WHERE action = 'RecordPayout'")
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(events as usize, payouts.len(), "one history event per payout");
    let fortnight_ago = now().timestamp() - 15 * 86_400;
    let (older,): (i64,) = Sql::new(
        "SELECT count(*) FROM work_orders WHERE state = 'Closed' AND invoice_minor IS NOT NULL AND closed_at < ?",
    )
    .bind(fortnight_ago)
    .fetch_one(&test.store)
    .await
    .unwrap();
    assert!(payouts.len() as f64 >= 0.8 * older as f64, "{} payouts for {older} older closed jobs", payouts.len());
}

#[tokio::test]
async fn the_demo_agencys_stories_make_sense() {
    let test = demo_store().await;
    let calendar = plumbline_domain::sla::WorkingCalendar::uk_default();
    // Visits are booked in the daytime, in the agency's own time zone.
    let starts: Vec<(i64,)> = Sql::new("SELECT appointment_start FROM work_orders WHERE appointment_start IS NOT NULL")
        .fetch_all(&test.store)
        .await
        .unwrap();
    assert!(!starts.is_empty());
    for (start,) in starts {
        let local = calendar.local(chrono::DateTime::from_timestamp(start, 0).unwrap());
        assert!((8..=15).contains(&chrono::Timelike::hour(&local)), "a visit booked for {local}");
    }
    // What the contractor did fits the job: no cleared blockage on an oven.
    let done: Vec<(String, String)> = Sql::new(
        "SELECT s.name, e.note FROM work_order_events e JOIN work_orders w ON w.id = e.work_order_id
         JOIN categories s ON s.id = w.subcategory_id WHERE e.action = 'Complete'",
    )
    .fetch_all(&test.store)
    .await
    .unwrap();
    assert!(!done.is_empty());
    for (subcategory, note) in done {
        if note.contains("blockage") {
            assert_eq!(subcategory, "Blocked drain", "{note}");
        }
    }
}
