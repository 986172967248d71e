//! Who sees what of an order (issue #16): access codes by state, the tenancy's codes by
//! the same rule, and each field's reading by each role.

use crate::fixtures::{Cast, act, cast, order_in, pence};
use crate::support::{demo_store, now};
use plumbline_domain::api::{AccessInstructions, RecordPayout, Step, SubmitRequest, WorkOrderFilter};
use plumbline_domain::{Action, Actor, Severity, State, WorkOrderId};
use plumbline_service::db::{Engine, Sql};
use plumbline_service::work_orders::Amount;
use plumbline_service::{ServiceError, Store, notifications, payments, tenancies, work_orders};

async fn set_codes(store: &Store, id: WorkOrderId) {
    Sql::new("UPDATE work_orders SET gate_code = '4821#', lockbox_code = '0909' WHERE id = ?")
        .bind(id.0)
        .execute(store)
        .await
        .unwrap();
}

/// The codes `viewer` reads on the order page; none when the order is not theirs to see.
async fn codes_seen(store: &Store, viewer: Actor, id: WorkOrderId) -> (Option<String>, Option<String>) {
    match work_orders::detail(store, viewer, now(), id).await {
        Ok(detail) => (detail.access.gate_code, detail.access.lockbox_code),
        Err(_) => (None, None),
    }
}

#[tokio::test]
async fn the_assigned_contractor_sees_the_codes_only_from_accepting_until_completing() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let both = (Some("4821#".to_owned()), Some("0909".to_owned()));
    let none = (None, None);
    for state in State::ALL {
        let id = order_in(store, &cast, state).await;
        set_codes(store, id).await;
        let during = matches!(state, State::Accepted | State::Scheduled | State::InProgress);
        let expected = if during { &both } else { &none };
        assert_eq!(&codes_seen(store, cast.contractor, id).await, expected, "contractor, {state:?}");
        assert_eq!(codes_seen(store, cast.staff, id).await, both, "staff, {state:?}");
        for viewer in [cast.landlord, cast.tenant] {
            assert_eq!(codes_seen(store, viewer, id).await, none, "{viewer:?}, {state:?}");
        }
    }
    // Cancelled once accepted: the contractor still sees the order, no longer its codes.
    let id = order_in(store, &cast, State::Scheduled).await;
    set_codes(store, id).await;
    assert_eq!(codes_seen(store, cast.contractor, id).await, both);
    act(store, cast.staff, id, Step::Cancel { reason: "Tenant moved out".into() }).await.unwrap();
    assert!(work_orders::detail(store, cast.contractor, now(), id).await.is_ok(), "still theirs to look at");
    assert_eq!(codes_seen(store, cast.contractor, id).await, none, "cancelled");
}

#[tokio::test]
async fn a_tenant_reads_no_codes_from_the_tenancy_search_as_on_the_order_page() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    Sql::new("UPDATE tenancies SET gate_code = '1111', lockbox_code = '2222' WHERE id = ?")
        .bind(cast.tenancy.0)
        .execute(store)
        .await
        .unwrap();
    let own = tenancies::search(store, cast.tenant, now(), "", 50).await.unwrap();
    let home = own.iter().find(|c| c.id == cast.tenancy).expect("their own tenancy");
    assert_eq!((home.access.gate_code.as_deref(), home.access.lockbox_code.as_deref()), (None, None));
    let staff = tenancies::search(store, cast.staff, now(), "", 50).await.unwrap();
    let seen = staff.iter().find(|c| c.id == cast.tenancy).expect("staff find it");
    assert_eq!((seen.access.gate_code.as_deref(), seen.access.lockbox_code.as_deref()), (Some("1111"), Some("2222")));

    // The tenant's form sends back what it was shown: codes left empty are the tenancy's,
    // a code they type replaces it.
    let subcategory = crate::fixtures::subcategory(store, "Blocked drain").await;
    let mut request = SubmitRequest {
        tenancy: cast.tenancy,
        subcategory,
        severity: Severity::Routine,
        description: "Sink drains slowly".into(),
        access: Some(AccessInstructions { pets: "A cat".into(), ..home.access.clone() }),
    };
    let kept = work_orders::submit(store, cast.tenant, now(), &request).await.unwrap().id;
    let detail = work_orders::detail(store, cast.staff, now(), kept).await.unwrap();
    let codes = (detail.access.gate_code.as_deref(), detail.access.lockbox_code.as_deref());
    assert_eq!((codes, detail.access.pets.as_str()), ((Some("1111"), Some("2222")), "A cat"));
    request.access = Some(AccessInstructions { gate_code: Some("3333".into()), ..home.access.clone() });
    let typed = work_orders::submit(store, cast.tenant, now(), &request).await.unwrap().id;
    let detail = work_orders::detail(store, cast.staff, now(), typed).await.unwrap();
    assert_eq!(
        (detail.access.gate_code.as_deref(), detail.access.lockbox_code.as_deref()),
        (Some("3333"), Some("2222"))
    );
    // Staff, who see the codes, may clear one.
    request.access = Some(AccessInstructions { gate_code: None, ..seen.access.clone() });
    let cleared = work_orders::submit(store, cast.staff, now(), &request).await.unwrap().id;
    let detail = work_orders::detail(store, cast.staff, now(), cleared).await.unwrap();
    assert_eq!((detail.access.gate_code.as_deref(), detail.access.lockbox_code.as_deref()), (None, Some("2222")));
}

/// How each of the order's parties reads it, in the cast's order: staff, landlord,
/// contractor, tenant.
fn viewers(cast: &Cast, contractor: Actor) -> [(&'static str, Actor); 4] {
    [("staff", cast.staff), ("landlord", cast.landlord), ("contractor", contractor), ("tenant", cast.tenant)]
}

/// The note of the latest `action` on the order's timeline as `viewer` reads it; `None`
/// when the order is not theirs to see.
async fn timeline_note(store: &Store, viewer: Actor, id: WorkOrderId, action: Action) -> Option<String> {
    let detail = work_orders::detail(store, viewer, now(), id).await.ok()?;
    let entry = detail.timeline.iter().rev().find(|entry| entry.action == Some(action));
    Some(entry.unwrap_or_else(|| panic!("{action:?} on the timeline")).note.clone())
}

/// Every Recent Activity line and notification body `viewer` has about the order.
async fn told(store: &Store, viewer: Actor, id: WorkOrderId) -> Vec<String> {
    let feed = work_orders::recent_activity(store, viewer, 200).await.unwrap();
    let bell = notifications::list(store, viewer).await.unwrap();
    let lines = feed.into_iter().filter(|item| item.id == id).map(|item| item.summary);
    lines.chain(bell.items.into_iter().filter(|n| n.order == Some(id)).map(|n| n.body)).collect()
}

/// Checks each viewer's timeline note for `action` against `expected` (`None`: the order
/// is not theirs), and that no line they are told about the order holds a `hidden` word
/// not in their note.
async fn check_readings(
    store: &Store,
    id: WorkOrderId,
    action: Action,
    expected: [(&'static str, Actor, Option<&str>); 4],
    hidden: &[&str],
) {
    for (who, viewer, note) in expected {
        assert_eq!(timeline_note(store, viewer, id, action).await.as_deref(), note, "{who}'s timeline, {action:?}");
        for word in hidden.iter().filter(|word| !note.unwrap_or("").contains(*word)) {
            for line in told(store, viewer, id).await {
                assert!(!line.contains(word), "{who} is told {word:?}: {line}");
            }
        }
    }
}

#[tokio::test]
async fn the_estimate_is_the_landlords_the_agencys_and_the_contractors_never_the_tenants() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    // Above the landlord's £500 limit: sent to them for approval.
    let id = order_in(store, &cast, State::AwaitingApproval).await;
    let [staff, landlord, contractor, tenant] = viewers(&cast, cast.contractor);
    let sent = "Estimate £900.00 sent to the landlord for approval";
    let expected = [
        (staff.0, staff.1, Some(sent)),
        (landlord.0, landlord.1, Some(sent)),
        (contractor.0, contractor.1, None),
        (tenant.0, tenant.1, Some("Estimate sent to the landlord for approval")),
    ];
    check_readings(store, id, Action::RequestApproval, expected, &["£"]).await;
    assert!(told(store, cast.landlord, id).await.iter().any(|line| line.contains(sent)), "the landlord is asked");
    act(store, cast.landlord, id, Step::Approve { note: String::new() }).await.unwrap();
    act(store, cast.staff, id, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();
    let with_contractor = expected.map(|(who, viewer, note)| (who, viewer, note.or(Some(sent))));
    check_readings(store, id, Action::RequestApproval, with_contractor, &["£"]).await;
    for (who, viewer, budget) in [(staff, true), (landlord, true), (contractor, true), (tenant, false)]
        .map(|((who, viewer), sees)| (who, viewer, sees.then(|| pence(90_000))))
    {
        let detail = work_orders::detail(store, viewer, now(), id).await.unwrap();
        assert_eq!((detail.estimate_minor, detail.approved_minor), (budget, budget), "{who}");
    }

    // A landlord's "no": the amount and their reason are not the tenant's.
    let declined = order_in(store, &cast, State::AwaitingApproval).await;
    act(store, cast.landlord, declined, Step::DeclineEstimate { reason: "Too dear".into() }).await.unwrap();
    let whole = "The landlord declined the estimate of £900.00: Too dear";
    let expected = [
        (staff.0, staff.1, Some(whole)),
        (landlord.0, landlord.1, Some(whole)),
        (contractor.0, contractor.1, None),
        (tenant.0, tenant.1, Some("The landlord declined the estimate")),
    ];
    check_readings(store, declined, Action::DeclineEstimate, expected, &["£", "Too dear"]).await;
}

#[tokio::test]
async fn why_staff_could_approve_is_the_landlords_and_the_agencys_alone() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    // Within the landlord's limit: staff approve at once and the landlord is told.
    let id = crate::fixtures::submit_routine(store, &cast).await;
    act(store, cast.staff, id, Step::RequestApproval { estimate_minor: pence(30_000) }).await.unwrap();
    act(store, cast.staff, id, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();
    let whole = "Estimate £300.00 approved by staff (within the landlord's £500.00 approval limit)";
    let [staff, landlord, contractor, tenant] = viewers(&cast, cast.contractor);
    let expected = [
        (staff.0, staff.1, Some(whole)),
        (landlord.0, landlord.1, Some(whole)),
        (contractor.0, contractor.1, Some("Estimate £300.00 approved by staff")),
        (tenant.0, tenant.1, Some("Estimate approved by staff")),
    ];
    check_readings(store, id, Action::RequestApproval, expected, &["£", "limit"]).await;
    assert!(told(store, cast.landlord, id).await.iter().any(|line| line.contains(whole)), "the landlord is told why");

    // Staff approving for the landlord, and why: the tenant reads that it was approved.
    let approved = order_in(store, &cast, State::AwaitingApproval).await;
    act(store, cast.staff, approved, Step::Approve { note: "Agreed by phone".into() }).await.unwrap();
    act(store, cast.staff, approved, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();
    let whole = "Approved (staff, on the landlord's behalf). Agreed by phone";
    let expected = [
        (staff.0, staff.1, Some(whole)),
        (landlord.0, landlord.1, Some(whole)),
        (contractor.0, contractor.1, Some("Approved.")),
        (tenant.0, tenant.1, Some("Approved.")),
    ];
    check_readings(store, approved, Action::Approve, expected, &["phone", "behalf"]).await;
}

#[tokio::test]
async fn the_invoice_and_the_payout_are_never_the_tenants_and_the_payout_not_the_landlords() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Completed).await;
    let [staff, landlord, contractor, tenant] = viewers(&cast, cast.contractor);
    // The fixture's path books the visit for tomorrow and completes today.
    let early = ". Completed before the appointment booked for Tue 24 Nov 09:30";
    let (whole, amount_free) = (format!("Checked on site (invoice £125.00){early}"), format!("Checked on site{early}"));
    let expected = [
        (staff.0, staff.1, Some(whole.as_str())),
        (landlord.0, landlord.1, Some(whole.as_str())),
        (contractor.0, contractor.1, Some(whole.as_str())),
        (tenant.0, tenant.1, Some(amount_free.as_str())),
    ];
    check_readings(store, id, Action::Complete, expected, &["£", "invoice"]).await;
    assert!(
        told(store, cast.tenant, id).await.iter().any(|line| line.contains("Checked on site")),
        "told what was done"
    );

    act(store, cast.staff, id, Step::Close { note: String::new() }).await.unwrap();
    let paid_on = crate::support::now().date_naive();
    let payout = RecordPayout { id, reference: "BACS-0042".into(), paid_on };
    payments::record_payout(store, cast.staff, now(), &payout).await.unwrap();
    for ((who, viewer), sees_invoice, sees_payout) in
        [(staff, true, true), (landlord, true, false), (contractor, true, true), (tenant, false, false)]
    {
        let detail = work_orders::detail(store, viewer, now(), id).await.unwrap();
        assert_eq!(detail.row.cost, sees_invoice.then(|| pence(12_500)), "{who}");
        let payout_entry = detail.timeline.iter().any(|entry| entry.what == "Payout recorded");
        assert_eq!((payout_entry, detail.payment.is_some()), (sees_payout, sees_payout), "{who}");
        let told = told(store, viewer, id).await;
        assert_eq!(told.iter().any(|line| line.contains("BACS-0042")), sees_payout, "{who}: {told:?}");
    }
    // Nor can a tenant add up what their orders cost.
    let summed = work_orders::total(store, cast.tenant, now(), &WorkOrderFilter::default(), Amount::Invoice).await;
    assert!(matches!(summed, Err(ServiceError::NotAllowed(_))), "{summed:?}");
    assert!(
        work_orders::total(store, cast.landlord, now(), &WorkOrderFilter::default(), Amount::Invoice).await.is_ok()
    );
}

#[tokio::test]
async fn staff_reasons_reach_only_whom_they_are_for() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let [staff, landlord, contractor, tenant] = viewers(&cast, cast.contractor);

    // Why a request was rejected is for everyone it concerns: the tenant above all.
    let rejected = order_in(store, &cast, State::Rejected).await;
    let all = Some("Checked on site");
    let expected = [
        (staff.0, staff.1, all),
        (landlord.0, landlord.1, all),
        (contractor.0, contractor.1, None),
        (tenant.0, tenant.1, all),
    ];
    check_readings(store, rejected, Action::Reject, expected, &[]).await;
    assert!(told(store, cast.tenant, rejected).await.iter().any(|line| line.contains("Checked on site")));

    // Why a contractor was replaced is about them: the agency's and the landlord's.
    let moved = order_in(store, &cast, State::Accepted).await;
    let reason = "Did not turn up twice";
    let reassign = Step::Reassign { contractor: cast.other_contractor.user_id, reason: reason.into() };
    act(store, cast.staff, moved, reassign).await.unwrap();
    let company: (String,) = Sql::new("SELECT company FROM contractors WHERE user_id = ?")
        .bind(cast.other_contractor.user_id.0)
        .fetch_one(store)
        .await
        .unwrap();
    let (whole, bare) = (format!("Reassigned to {}: {reason}", company.0), format!("Reassigned to {}", company.0));
    let [staff, landlord, new_contractor, tenant] = viewers(&cast, cast.other_contractor);
    let expected = [
        (staff.0, staff.1, Some(whole.as_str())),
        (landlord.0, landlord.1, Some(whole.as_str())),
        (new_contractor.0, new_contractor.1, Some(bare.as_str())),
        (tenant.0, tenant.1, Some(bare.as_str())),
    ];
    check_readings(store, moved, Action::Reassign, expected, &["turn up"]).await;

    // Why a contractor turned the job down is between them and the agency.
    act(store, cast.other_contractor, moved, Step::Decline { reason: "Too far for us".into() }).await.unwrap();
    let expected = [
        (staff.0, staff.1, Some("Too far for us")),
        (landlord.0, landlord.1, Some("")),
        (new_contractor.0, new_contractor.1, None),
        (tenant.0, tenant.1, Some("")),
    ];
    check_readings(store, moved, Action::Decline, expected, &["Too far"]).await;

    // Staff's review of the work and its invoice is not the tenant's.
    let reviewed = order_in(store, &cast, State::Completed).await;
    act(store, cast.staff, reviewed, Step::Reopen { reason: "Invoice above the quote".into() }).await.unwrap();
    let review = Some("Invoice above the quote");
    let expected = [
        (staff.0, staff.1, review),
        (landlord.0, landlord.1, review),
        (contractor.0, contractor.1, review),
        (tenant.0, tenant.1, Some("")),
    ];
    check_readings(store, reviewed, Action::Reopen, expected, &["quote"]).await;
    act(
        store,
        cast.contractor,
        reviewed,
        Step::Complete { notes: "Redone".into(), invoice_minor: pence(9_000), approve_overrun: None },
    )
    .await
    .unwrap();
    act(store, cast.staff, reviewed, Step::Close { note: "Invoice matches the quote now".into() }).await.unwrap();
    let closed = Some("Invoice matches the quote now");
    let expected = [
        (staff.0, staff.1, closed),
        (landlord.0, landlord.1, closed),
        (contractor.0, contractor.1, closed),
        (tenant.0, tenant.1, Some("")),
    ];
    check_readings(store, reviewed, Action::Close, expected, &["quote"]).await;

    // Why an order was cancelled is everyone's.
    let cancelled = order_in(store, &cast, State::Scheduled).await;
    act(store, cast.staff, cancelled, Step::Cancel { reason: "Tenant moved out".into() }).await.unwrap();
    let why = Some("Tenant moved out");
    let expected = [
        (staff.0, staff.1, why),
        (landlord.0, landlord.1, why),
        (contractor.0, contractor.1, why),
        (tenant.0, tenant.1, why),
    ];
    check_readings(store, cancelled, Action::Cancel, expected, &[]).await;
}

#[tokio::test]
async fn notes_written_before_each_party_had_its_reading_lose_what_is_not_theirs() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let done = order_in(store, &cast, State::Completed).await;
    let moved = order_in(store, &cast, State::Accepted).await;
    let reassign = Step::Reassign { contractor: cast.other_contractor.user_id, reason: "Did not turn up".into() };
    act(store, cast.staff, moved, reassign).await.unwrap();
    // As every event was stored before migration 0022: one note for everyone.
    Sql::new("UPDATE work_order_events SET landlord_note = NULL, contractor_note = NULL, tenant_note = NULL")
        .execute(store)
        .await
        .unwrap();
    assert!(timeline_note(store, cast.tenant, done, Action::Complete).await.unwrap().contains("£"), "the old leak");
    let migration = match store.engine() {
        Engine::Sqlite => include_str!("../../migrations/sqlite/0022_history_readings.sql"),
        Engine::Postgres => include_str!("../../migrations/postgres/0022_history_readings.sql"),
    };
    for backfill in migration.split(';').filter(|statement| statement.contains("UPDATE work_order_events")) {
        Sql::new(backfill).execute(store).await.unwrap();
    }
    assert_eq!(timeline_note(store, cast.tenant, done, Action::Complete).await.as_deref(), Some("Checked on site"));
    let whole = timeline_note(store, cast.landlord, done, Action::Complete).await.unwrap();
    assert!(whole.starts_with("Checked on site (invoice £125.00)"), "{whole}");
    let tenant_reads = timeline_note(store, cast.tenant, moved, Action::Reassign).await.unwrap();
    assert!(tenant_reads.starts_with("Reassigned to ") && !tenant_reads.contains("turn up"), "{tenant_reads}");
    let staff_reads = timeline_note(store, cast.staff, moved, Action::Reassign).await.unwrap();
    assert!(staff_reads.ends_with(": Did not turn up"), "{staff_reads}");
}
