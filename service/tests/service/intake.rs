//! Intake, triage, SLA clocks, approval thresholds and who sees what.

use crate::fixtures::{act, cast, fingerprint, order_in, pence, subcategory};
use crate::support::{demo_store, now};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{AccessInstructions, Field, ListWorkOrders, Step, SubmitRequest, WorkOrderFilter};
use plumbline_domain::{Priority, Severity, State};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, work_orders};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

async fn request(store: &plumbline_service::Store, sub: &str, severity: Severity, text: &str) -> SubmitRequest {
    let cast = cast(store).await;
    SubmitRequest {
        tenancy: cast.tenancy,
        subcategory: subcategory(store, sub).await,
        severity,
        description: text.into(),
        access: None,
    }
}

#[tokio::test]
async fn a_gas_smell_becomes_an_emergency_and_a_running_toilet_stays_routine() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let gas = request(&test.store, "Oven and hob", Severity::Routine, "I can smell gas near the hob").await;
    let submitted = work_orders::submit(&test.store, cast.tenant, now(), &gas).await.unwrap();
    assert_eq!(submitted.priority, Priority::Emergency);
    assert_eq!(submitted.triage_reason, "mentions gas smell → Emergency");
    assert_eq!(submitted.emergency_contact.as_deref(), Some("07700 900123"), "the agency's after-hours contact");
    assert!(submitted.meanwhile.contains("leave the property"), "gas safety first: {}", submitted.meanwhile);
    assert!(submitted.meanwhile.contains("0800 111 999"), "the gas emergency line: {}", submitted.meanwhile);
    let detail = work_orders::detail(&test.store, cast.tenant, now(), submitted.id).await.unwrap();
    assert_eq!(submitted.respond_by, detail.respond_by, "when the agency will have responded");

    let toilet = request(&test.store, "Toilet", Severity::Routine, "Toilet keeps running after flushing").await;
    let submitted = work_orders::submit(&test.store, cast.tenant, now(), &toilet).await.unwrap();
    assert_eq!(submitted.priority, Priority::Routine);
    assert_eq!(submitted.emergency_contact, None);
    assert_eq!(submitted.meanwhile, "", "safety steps are for emergencies");
    let detail = work_orders::detail(&test.store, cast.staff, now(), submitted.id).await.unwrap();
    assert_eq!(detail.timeline[0].note, "New maintenance task: Plumbing – Toilet");
    assert_eq!(submitted.reference.to_string(), format!("PL-{:06}", submitted.id.0));
}

#[tokio::test]
async fn a_routine_job_raised_on_friday_afternoon_is_due_the_next_friday() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let friday = utc("2026-11-20T15:00:00Z");
    let toilet = request(&test.store, "Toilet", Severity::Routine, "Toilet seat loose").await;
    let submitted = work_orders::submit(&test.store, cast.tenant, friday, &toilet).await.unwrap();
    let detail = work_orders::detail(&test.store, cast.staff, friday, submitted.id).await.unwrap();
    assert_eq!(detail.respond_by, utc("2026-11-22T15:00:00Z"), "48 wall-clock hours");
    assert_eq!(detail.resolve_by, utc("2026-11-27T15:00:00Z"), "5 business days skip the weekend");
}

#[tokio::test]
async fn bad_intake_is_refused_with_its_field_and_stores_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (orders_before,): (i64,) = Sql::new("SELECT count(*) FROM work_orders").fetch_one(&test.store).await.unwrap();
    let good = request(&test.store, "Toilet", Severity::Routine, "Toilet seat loose").await;
    let mut unknown_category = good.clone();
    unknown_category.subcategory.0 = 99_999;
    let mut too_long = good.clone();
    too_long.description = "x".repeat(work_orders::MAX_DESCRIPTION_CHARS + 1);
    let blank = SubmitRequest { description: "  ".into(), ..good.clone() };
    for (bad, field) in
        [(unknown_category, Field::Subcategory), (too_long, Field::Description), (blank, Field::Description)]
    {
        match work_orders::submit(&test.store, cast.tenant, now(), &bad).await {
            Err(ServiceError::Validation { field: got, .. }) => assert_eq!(got, field),
            other => panic!("expected a validation error on {field:?}, got {other:?}"),
        }
    }
    let err = work_orders::submit(&test.store, cast.other_tenant, now(), &good).await.unwrap_err();
    assert!(matches!(err, ServiceError::NotAllowed(_)), "{err:?}");
    let (orders_after,): (i64,) = Sql::new("SELECT count(*) FROM work_orders").fetch_one(&test.store).await.unwrap();
    assert_eq!(orders_after, orders_before);
}

#[tokio::test]
async fn an_estimate_goes_to_the_landlord_only_above_the_threshold() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    for (estimate, expected) in [(19_900, State::New), (50_000, State::New), (50_001, State::AwaitingApproval)] {
        let id = order_in(&test.store, &cast, State::New).await;
        let outcome =
            act(&test.store, cast.staff, id, Step::RequestApproval { estimate_minor: pence(estimate) }).await.unwrap();
        assert_eq!(outcome.state, expected, "estimate {estimate}");
    }
    // An emergency over the threshold does not wait for the landlord.
    let gas = request(&test.store, "Oven and hob", Severity::Emergency, "smell of gas").await;
    let id = work_orders::submit(&test.store, cast.tenant, now(), &gas).await.unwrap().id;
    let outcome =
        act(&test.store, cast.staff, id, Step::RequestApproval { estimate_minor: pence(90_000) }).await.unwrap();
    assert_eq!(outcome.state, State::New);
    // Approval by the landlord sends the order back to be assigned, with the cost approved.
    let id = order_in(&test.store, &cast, State::AwaitingApproval).await;
    let outcome = act(&test.store, cast.landlord, id, Step::Approve { note: "Go ahead".into() }).await.unwrap();
    assert_eq!(outcome.state, State::New);
    let (approved,): (Option<i64>,) = Sql::new("SELECT approved_minor FROM work_orders WHERE id = ?")
        .bind(id.0)
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(approved, Some(90_000));
    let seen = work_orders::detail(&test.store, cast.landlord, now(), id).await.unwrap();
    assert_eq!(seen.approved_minor, Some(pence(90_000)), "the order shows what was approved");
}

#[tokio::test]
async fn each_role_lists_only_its_own_orders() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let all = ListWorkOrders { filter: WorkOrderFilter::default(), sort: Default::default(), after: None, limit: 500 };
    let count = |sql: &'static str, id: i64| {
        let store = &test.store;
        async move { Sql::new(sql).bind(id).fetch_one::<(i64,)>(store).await.unwrap().0 as u64 }
    };
    let landlord = work_orders::list(&test.store, cast.landlord, now(), &all).await.unwrap();
    let owned = "SELECT count(*) FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE p.landlord_id = ?";
    assert_eq!(landlord.total, Some(count(owned, cast.landlord.user_id.0).await));
    let contractor = work_orders::list(&test.store, cast.contractor, now(), &all).await.unwrap();
    assert_eq!(
        contractor.total,
        Some(count("SELECT count(*) FROM work_orders WHERE contractor_id = ?", cast.contractor.user_id.0).await)
    );
    assert!(contractor.rows.iter().all(|r| r.contractor.is_some()));
    let staff = work_orders::list(&test.store, cast.staff, now(), &all).await.unwrap();
    assert_eq!(staff.total, Some(count("SELECT count(*) FROM work_orders WHERE ? > 0", 1).await));
    assert!(landlord.total < staff.total && contractor.total < staff.total);
}

#[tokio::test]
async fn access_codes_are_shown_only_to_staff_and_the_contractor_who_accepted_the_job() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let mut with_codes = request(&test.store, "Toilet", Severity::Routine, "Cistern cracked").await;
    with_codes.access = Some(AccessInstructions {
        gate_code: Some("4821#".into()),
        lockbox_code: Some("0909".into()),
        pets: "Dog".into(),
        best_contact: "Phone".into(),
        preferred_times: "Mornings".into(),
    });
    let id = work_orders::submit(&test.store, cast.tenant, now(), &with_codes).await.unwrap().id;
    act(&test.store, cast.staff, id, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();
    let offered = work_orders::detail(&test.store, cast.contractor, now(), id).await.unwrap();
    assert_eq!(offered.access.gate_code, None, "offered, not yet accepted");
    act(&test.store, cast.contractor, id, Step::Accept).await.unwrap();
    for (viewer, sees) in [(cast.staff, true), (cast.contractor, true), (cast.landlord, false), (cast.tenant, false)] {
        let detail = work_orders::detail(&test.store, viewer, now(), id).await.unwrap();
        assert_eq!(detail.access.gate_code.is_some(), sees, "{viewer:?}");
        assert_eq!(detail.access.lockbox_code.is_some(), sees, "{viewer:?}");
        assert_eq!(detail.access.pets, "Dog");
    }
    for outsider in [cast.other_tenant, cast.other_landlord, cast.other_contractor] {
        let err = work_orders::detail(&test.store, outsider, now(), id).await.unwrap_err();
        assert!(matches!(err, ServiceError::NotFound { .. }), "{outsider:?}: {err:?}");
    }
    // Reassigned away, the first contractor loses the order and its codes.
    let before = fingerprint(&test.store, id).await;
    let reassign = Step::Reassign { contractor: cast.other_contractor.user_id, reason: "Closer to site".into() };
    act(&test.store, cast.staff, id, reassign).await.unwrap();
    assert_ne!(fingerprint(&test.store, id).await, before);
    assert!(work_orders::detail(&test.store, cast.contractor, now(), id).await.is_err());
    act(&test.store, cast.other_contractor, id, Step::Accept).await.unwrap();
    let detail = work_orders::detail(&test.store, cast.other_contractor, now(), id).await.unwrap();
    assert_eq!(detail.access.gate_code.as_deref(), Some("4821#"));
}

#[tokio::test]
async fn a_request_is_raised_only_for_a_tenancy_current_today() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let good = request(&test.store, "Toilet", Severity::Routine, "Toilet seat loose").await;
    let (orders_before,): (i64,) = Sql::new("SELECT count(*) FROM work_orders").fetch_one(&test.store).await.unwrap();
    let today = now().date_naive();
    let set_dates = |started: String, ended: Option<String>| {
        Sql::new("UPDATE tenancies SET started_on = ?, ended_on = ? WHERE id = ?")
            .bind(started)
            .bind(ended)
            .bind(good.tenancy.0)
    };
    let long_ago = (today - chrono::Duration::days(400)).to_string();
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    set_dates(long_ago.clone(), Some(yesterday.clone())).execute(&test.store).await.unwrap();
    for actor in [cast.tenant, cast.staff] {
        match work_orders::submit(&test.store, actor, now(), &good).await {
            Err(ServiceError::Validation { field: Field::Tenancy, message }) => {
                assert!(message.contains(&format!("ended on {yesterday}")), "{message}");
            }
            other => panic!("an ended tenancy must be refused, got {other:?}"),
        }
    }
    let next_week = (today + chrono::Duration::days(7)).to_string();
    set_dates(next_week, None).execute(&test.store).await.unwrap();
    let early = work_orders::submit(&test.store, cast.staff, now(), &good).await;
    assert!(matches!(&early, Err(ServiceError::Validation { field: Field::Tenancy, .. })), "{early:?}");
    let (orders_after,): (i64,) = Sql::new("SELECT count(*) FROM work_orders").fetch_one(&test.store).await.unwrap();
    assert_eq!(orders_after, orders_before, "nothing stored");

    // Through its last day it is still the tenant's home.
    set_dates(long_ago, Some(today.to_string())).execute(&test.store).await.unwrap();
    work_orders::submit(&test.store, cast.tenant, now(), &good).await.unwrap();
}
