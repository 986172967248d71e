//! Emergencies that reach a person: each on-duty staff member's notification of an
//! emergency is a critical alert (others hear of it as usual); one no one answers within
//! its response target is escalated again, once, to every staff member, and the history
//! says so; an answered one is not.

use crate::fixtures::{Cast, act, cast, subcategory};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::api::{Field, NotificationItem, Step, SubmitRequest};
use plumbline_domain::api::{MailSecurity, MailSettings};
use plumbline_domain::{Actor, Priority, Role, Severity, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::mail::{self, NoPassword};
use plumbline_service::{ServiceError, Store, background, emergencies, notifications, settings, work_orders};
use plumbline_test_support::MailServer;

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
    rules.escalation_email = "duty@harbour.example;".into();
    assert!(matches!(
        settings::update(&test.store, admin, now(), &rules).await,
        Err(ServiceError::Validation { field: Field::EscalationEmail, .. })
    ));
    rules.escalation_email = " Duty@Harbour.Example ".into();
    let saved = settings::update(&test.store, admin, now(), &rules).await.unwrap();
    assert_eq!(saved.escalation_email, "duty@harbour.example");
}

const ESCALATION: &str = "duty@harbour.example";

/// E-mail through `server`, and an escalation address.
async fn mail_escalations_to(store: &Store, server: &MailServer) {
    let staff = agency_people(store).await;
    let admin = *staff.iter().find(|person| person.role == Role::Admin).expect("an admin");
    let settings = MailSettings {
        host: "127.0.0.1".into(),
        port: server.port(),
        user: String::new(),
        sender: "repairs@harbour.example".into(),
        security: MailSecurity::None,
    };
    mail::update_settings(store, admin, now(), &settings).await.unwrap();
    let mut rules = settings::rules(store, admin).await.unwrap();
    rules.escalation_email = ESCALATION.into();
    settings::update(store, admin, now(), &rules).await.unwrap();
}

#[tokio::test]
async fn an_emergency_out_of_hours_is_emailed_to_the_escalation_address_and_again_when_unanswered() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let mut server = MailServer::start();
    mail_escalations_to(&test.store, &server).await;

    // Monday 09:30 is working time: staff are at their desks, no escalation e-mail.
    let (in_hours, _) = emergency(&test.store, &cast, now()).await;
    // Monday 21:30 is not.
    let evening = now() + Duration::hours(12);
    let (out_of_hours, respond_by) = emergency(&test.store, &cast, evening).await;
    mail::send_due(&test.store, evening, &NoPassword).await.unwrap();
    let to_duty: Vec<_> =
        server.received().into_iter().filter(|m| m.rcpt_tos.iter().any(|to| to == ESCALATION)).collect();
    assert_eq!(to_duty.len(), 1, "{to_duty:?}");
    let reference = plumbline_domain::Reference::of(out_of_hours).to_string();
    assert!(to_duty[0].subject.starts_with(&format!("Emergency out of hours · {reference} · ")), "{to_duty:?}");
    let body = &to_duty[0].body;
    assert!(body.contains("Water is coming through the ceiling") && body.contains("Respond by: "), "{body}");
    assert!(!body.contains(&plumbline_domain::Reference::of(in_hours).to_string()), "not the one in hours");

    // Unanswered past its target (the server down a while): escalated, e-mailed once back.
    server.stop();
    emergencies::escalate_unanswered(&test.store, respond_by + Duration::minutes(1)).await.unwrap();
    mail::send_due(&test.store, respond_by + Duration::minutes(1), &NoPassword).await.unwrap();
    server.start_again();
    mail::send_due(&test.store, respond_by + Duration::hours(1), &NoPassword).await.unwrap();
    let unanswered = format!("Emergency still unanswered · {reference} · ");
    let again: Vec<_> = server.received().into_iter().filter(|m| m.subject.starts_with(&unanswered)).collect();
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0].rcpt_tos, vec![ESCALATION.to_owned()]);
    let (note,): (String,) =
        Sql::new("SELECT note FROM work_order_events WHERE work_order_id = ? AND action = 'Escalate'")
            .bind(out_of_hours.0)
            .fetch_one(&test.store)
            .await
            .unwrap();
    assert!(note.ends_with(&format!("and e-mailed to {ESCALATION}")), "{note}");
}
