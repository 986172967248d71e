//! Emergencies that reach a person: each on-duty staff member's notification of an
//! emergency is a critical alert (others hear of it as usual); one no one answers within
//! its response target is escalated again, once, to every staff member, and the history
//! says so; an answered one is not.

use crate::fixtures::{Cast, act, cast, subcategory};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::api::{Field, NotificationItem, Step, SubmitRequest};
use plumbline_domain::{Actor, Priority, Role, Severity, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, background, emergencies, notifications, settings, work_orders};

async fn agency_people(store: &Store) -> Vec<Actor> {
    let people: Vec<(i64, String)> =
        Sql::new("SELECT id, role FROM users WHERE role IN ('staff', 'admin') AND deactivated_at IS NULL ORDER BY id")
            .fetch_all(store)
            .await
            .unwrap();
    people
        .into_iter()
        .map(|(id, role)| Actor { user_id: UserId(id), role: Role::parse(&role).expect("a role") })
        .collect()
}

async fn emergency(store: &Store, cast: &Cast, at: DateTime<Utc>) -> (WorkOrderId, DateTime<Utc>) {
    let request = SubmitRequest {
        tenancy: cast.tenancy,
        subcategory: subcategory(store, "Blocked drain").await,
        severity: Severity::Emergency,
        description: "Water is coming through the ceiling".into(),
        access: None,
    };
    let submitted = work_orders::submit(store, cast.tenant, at, &request).await.expect("submit");
    assert_eq!(submitted.priority, Priority::Emergency);
    (submitted.id, submitted.respond_by)
}

async fn escalations(store: &Store, order: WorkOrderId) -> i64 {
    Sql::new("SELECT count(*) FROM work_order_events WHERE work_order_id = ? AND action = 'Escalate'")
        .bind(order.0)
        .fetch_one::<(i64,)>(store)
        .await
        .unwrap()
        .0
}

async fn about(store: &Store, actor: Actor, order: WorkOrderId) -> Vec<NotificationItem> {
    let items = notifications::list(store, actor).await.expect("bell").items;
    items.into_iter().filter(|item| item.order == Some(order)).collect()
}

#[tokio::test]
async fn an_emergency_is_a_critical_alert_for_each_on_duty_staff_member_and_a_plain_one_for_the_rest() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let staff = agency_people(&test.store).await;
    assert!(staff.len() >= 2, "the demo agency has more than one staff member");
    let off_duty = staff[1];
    emergencies::set_on_duty(&test.store, off_duty, false).await.unwrap();
    assert_eq!(notifications::list(&test.store, off_duty).await.unwrap().on_duty, Some(false));
    assert_eq!(notifications::list(&test.store, cast.tenant).await.unwrap().on_duty, None, "only staff go on duty");
    assert!(matches!(emergencies::set_on_duty(&test.store, cast.tenant, true).await, Err(ServiceError::NotAllowed(_))));

    let (order, _) = emergency(&test.store, &cast, now()).await;
    for person in &staff {
        let told = about(&test.store, *person, order).await;
        assert_eq!(told.len(), 1, "{person:?} hears of it once");
        let on_duty = person.user_id != off_duty.user_id;
        assert_eq!(told[0].urgent, on_duty, "{person:?}");
        assert_eq!(told[0].title.starts_with("Emergency · PL-"), on_duty, "{}", told[0].title);
    }
    let routine = crate::fixtures::submit_routine(&test.store, &cast).await;
    assert!(about(&test.store, staff[0], routine).await.iter().all(|item| !item.urgent), "a routine one is not urgent");
}

#[tokio::test]
async fn an_emergency_no_one_answers_is_escalated_once_to_every_staff_member() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let staff = agency_people(&test.store).await;
    emergencies::set_on_duty(&test.store, staff[1], false).await.unwrap();
    let (unanswered, respond_by) = emergency(&test.store, &cast, now()).await;
    let (answered, _) = emergency(&test.store, &cast, now()).await;
    act(&test.store, cast.staff, answered, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();

    // The demo agency has emergencies of its own; only these two are counted.
    emergencies::escalate_unanswered(&test.store, respond_by - Duration::minutes(1)).await.unwrap();
    assert_eq!(escalations(&test.store, unanswered).await, 0, "not before its target");
    let ran = background::run_due_work(&test.store, respond_by + Duration::minutes(1)).await.unwrap().unwrap();
    assert!(ran.escalations >= 1, "the engine escalates");
    emergencies::escalate_unanswered(&test.store, respond_by + Duration::hours(1)).await.unwrap();
    assert_eq!(escalations(&test.store, unanswered).await, 1, "once");
    assert_eq!(escalations(&test.store, answered).await, 0, "an answered one is not");

    let (note,): (String,) = Sql::new("SELECT note FROM work_order_events WHERE work_order_id = ? AND action = ?")
        .bind(unanswered.0)
        .bind("Escalate")
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert!(note.starts_with("No one responded by") && note.contains("every staff member"), "{note}");
    let off_duty = about(&test.store, staff[1], unanswered).await;
    assert_eq!(off_duty.iter().filter(|item| item.urgent).count(), 1, "off duty too, once escalated");
    for person in &staff {
        let urgent = about(&test.store, *person, unanswered).await.into_iter().filter(|item| item.urgent).count();
        assert!(urgent >= 1, "{person:?} was alerted");
    }
}

#[tokio::test]
async fn the_escalation_e_mail_must_be_an_address() {
    let test = demo_store().await;
    let staff = agency_people(&test.store).await;
    let admin = *staff.iter().find(|person| person.role == Role::Admin).expect("an admin");
    let mut rules = settings::rules(&test.store, admin).await.unwrap();
    rules.escalation_email = "duty desk".into();
    match settings::update(&test.store, admin, now(), &rules).await {
        Err(ServiceError::Validation { field, message }) => {
            assert_eq!(field, Field::EscalationEmail);
            assert!(message.contains("needs an @"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    rules.escalation_email = " Duty@Harbour.Example ".into();
    let saved = settings::update(&test.store, admin, now(), &rules).await.unwrap();
    assert_eq!(saved.escalation_email, "duty@harbour.example");
}
