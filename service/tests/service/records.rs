//! The agency's own records: properties, units and tenancies; contractor profiles;
//! landlords' approval rules; the agency's settings and their audit trail.

use crate::fixtures::{act, cast, fingerprint, order_in, pence, subcategory, submit_routine};
use crate::support::{demo_store, now};
use chrono::{Duration, NaiveDate};
use plumbline_domain::api::{
    AccessInstructions, Field, LandlordRules, NewTenancy, PropertyInput, PropertySearch, Step, SubmitRequest,
    TenancyUpdate, TenantInput, WebPortal,
};
use plumbline_domain::approval::ApprovalThresholds;
use plumbline_domain::contractor::DocumentStatus;
use plumbline_domain::ids::TenancyId;
use plumbline_domain::sla::SlaSpan;
use plumbline_domain::{Actor, Priority, Role, Severity, State, UserId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, contractors, landlords, properties, settings, tenancies, work_orders};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn admin(store: &Store) -> Actor {
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(store).await.unwrap();
    Actor { user_id: UserId(id), role: Role::Admin }
}

fn new_property(landlord: UserId) -> PropertyInput {
    PropertyInput {
        name: String::new(),
        street: "  7 Wisteria Mews ".into(),
        city: "Bristol".into(),
        postcode: "bs1 5th".into(),
        landlord,
    }
}

async fn request_for(store: &Store, tenancy: TenancyId) -> SubmitRequest {
    SubmitRequest {
        tenancy,
        subcategory: subcategory(store, "Blocked drain").await,
        severity: Severity::Routine,
        description: "Kitchen sink will not drain".into(),
        access: None,
    }
}

#[tokio::test]
async fn staff_add_a_property_unit_and_tenancy_that_intake_then_finds() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let property =
        properties::save(&test.store, cast.staff, now(), None, &new_property(cast.landlord.user_id)).await.unwrap();
    assert_eq!((property.input.name.as_str(), property.input.street.as_str()), ("7 Wisteria Mews", "7 Wisteria Mews"));
    assert_eq!(property.input.postcode, "BS1 5TH");
    let property = properties::add_unit(&test.store, cast.staff, now(), property.id, "Flat A").await.unwrap();
    let unit = property.units[0].id;
    let tenancy = NewTenancy {
        unit,
        tenant: TenantInput::New {
            name: "Priya Shah".into(),
            email: "Priya@Example.test".into(),
            phone: String::new(),
        },
        started_on: day("2026-11-01"),
        ended_on: None,
        access: AccessInstructions {
            gate_code: Some("#88".into()),
            pets: "Cat".into(),
            ..AccessInstructions::default()
        },
    };
    let property = properties::add_tenancy(&test.store, cast.staff, now(), &tenancy).await.unwrap();
    let let_to = &property.units[0].tenancies[0];
    assert!(let_to.current);
    assert_eq!((let_to.tenant_email.as_str(), let_to.access.gate_code.as_deref()), ("priya@example.test", Some("#88")));

    let found = tenancies::search(&test.store, cast.staff, now(), "Priya Wisteria", 10).await.unwrap();
    assert_eq!(found.iter().map(|t| t.id).collect::<Vec<_>>(), [let_to.id]);
    assert_eq!(found[0].access.pets, "Cat", "a new request starts from the tenancy's instructions");
    let submitted =
        work_orders::submit(&test.store, cast.staff, now(), &request_for(&test.store, let_to.id).await).await;
    assert!(submitted.is_ok(), "{submitted:?}");
    let order = work_orders::detail(&test.store, cast.staff, now(), submitted.unwrap().id).await.unwrap();
    assert_eq!(order.address, "7 Wisteria Mews, Bristol BS1 5TH", "the whole address, to find the door");

    let listed =
        properties::list(&test.store, cast.staff, now(), &PropertySearch { query: "wisteria".into(), archived: false })
            .await
            .unwrap();
    assert_eq!(listed.properties.len(), 1);
    assert_eq!(
        (listed.properties[0].units, listed.properties[0].current_tenancies, listed.properties[0].orders_not_closed),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn an_ended_tenancy_takes_no_new_requests_and_its_orders_keep_their_instructions() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let open = submit_routine(&test.store, &cast).await;
    let before = fingerprint(&test.store, open).await;
    let property = {
        let (id,): (i64,) =
            Sql::new("SELECT u.property_id FROM tenancies t JOIN units u ON u.id = t.unit_id WHERE t.id = ?")
                .bind(cast.tenancy.0)
                .fetch_one(&test.store)
                .await
                .unwrap();
        properties::detail(&test.store, cast.staff, now(), plumbline_domain::ids::PropertyId(id)).await.unwrap()
    };
    let tenancy = property.units.iter().flat_map(|u| &u.tenancies).find(|t| t.id == cast.tenancy).unwrap();
    let ended = TenancyUpdate {
        id: tenancy.id,
        started_on: tenancy.started_on,
        ended_on: Some(now().date_naive() - Duration::days(1)),
        access: AccessInstructions { gate_code: Some("new code".into()), ..tenancy.access.clone() },
    };
    let property = properties::update_tenancy(&test.store, cast.staff, now(), &ended).await.unwrap();
    assert!(!property.units.iter().flat_map(|u| &u.tenancies).find(|t| t.id == cast.tenancy).unwrap().current);

    let refused =
        work_orders::submit(&test.store, cast.tenant, now(), &request_for(&test.store, cast.tenancy).await).await;
    assert!(
        matches!(&refused, Err(ServiceError::Validation { field: Field::Tenancy, message }) if message.contains("ended")),
        "{refused:?}"
    );
    let searched = tenancies::search(&test.store, cast.staff, now(), "", 50).await.unwrap();
    assert!(searched.iter().all(|t| t.id != cast.tenancy));
    assert_eq!(fingerprint(&test.store, open).await, before, "the open order is as it was");

    let backwards = TenancyUpdate { ended_on: Some(tenancy.started_on - Duration::days(1)), ..ended };
    let refused = properties::update_tenancy(&test.store, cast.staff, now(), &backwards).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::EndedOn, .. })), "{refused:?}");
}

#[tokio::test]
async fn a_property_with_orders_not_closed_is_not_archived_and_an_archived_one_leaves_intake() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let property =
        properties::save(&test.store, cast.staff, now(), None, &new_property(cast.landlord.user_id)).await.unwrap();
    let property = properties::add_unit(&test.store, cast.staff, now(), property.id, "Whole house").await.unwrap();
    let tenancy = NewTenancy {
        unit: property.units[0].id,
        tenant: TenantInput::Existing(cast.tenant.user_id),
        started_on: day("2026-01-01"),
        ended_on: None,
        access: AccessInstructions::default(),
    };
    let property = properties::add_tenancy(&test.store, cast.staff, now(), &tenancy).await.unwrap();
    let tenancy = property.units[0].tenancies[0].id;
    let order =
        work_orders::submit(&test.store, cast.staff, now(), &request_for(&test.store, tenancy).await).await.unwrap();

    let refused = properties::set_archived(&test.store, cast.staff, now(), property.id, true).await;
    assert!(
        matches!(&refused, Err(ServiceError::Validation { message, .. }) if message.contains("1 work order(s) not yet closed")),
        "{refused:?}"
    );
    act(&test.store, cast.staff, order.id, Step::Cancel { reason: "Duplicate".into() }).await.unwrap();
    let archived = properties::set_archived(&test.store, cast.staff, now(), property.id, true).await.unwrap();
    assert!(archived.archived_at.is_some());

    let refused = work_orders::submit(&test.store, cast.staff, now(), &request_for(&test.store, tenancy).await).await;
    assert!(
        matches!(&refused, Err(ServiceError::Validation { message, .. }) if message.contains("archived")),
        "{refused:?}"
    );
    let listed =
        properties::list(&test.store, cast.staff, now(), &PropertySearch { query: "Wisteria".into(), archived: false })
            .await
            .unwrap();
    assert!(listed.properties.is_empty(), "archived properties are hidden unless asked for");
    let listed =
        properties::list(&test.store, cast.staff, now(), &PropertySearch { query: "Wisteria".into(), archived: true })
            .await
            .unwrap();
    assert!(listed.properties[0].archived);
    let (orders,): (i64,) = Sql::new("SELECT count(*) FROM work_orders WHERE property_id = ?")
        .bind(property.id.0)
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(orders, 1, "its history stays");
}

#[tokio::test]
async fn bad_property_input_is_refused_by_field_and_stores_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (before,): (i64,) = Sql::new("SELECT count(*) FROM properties").fetch_one(&test.store).await.unwrap();
    let blank = PropertyInput { street: " ".into(), ..new_property(cast.landlord.user_id) };
    let refused = properties::save(&test.store, cast.staff, now(), None, &blank).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Street, .. })), "{refused:?}");
    let not_a_landlord = new_property(cast.tenant.user_id);
    let refused = properties::save(&test.store, cast.staff, now(), None, &not_a_landlord).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Landlord, .. })), "{refused:?}");
    properties::save(&test.store, cast.staff, now(), None, &new_property(cast.landlord.user_id)).await.unwrap();
    let again = PropertyInput { street: "7 WISTERIA MEWS".into(), ..new_property(cast.other_landlord.user_id) };
    let refused = properties::save(&test.store, cast.staff, now(), None, &again).await;
    assert!(
        matches!(&refused, Err(ServiceError::Validation { message, .. }) if message.contains("already on record")),
        "{refused:?}"
    );
    let refused = properties::save(&test.store, cast.tenant, now(), None, &new_property(cast.landlord.user_id)).await;
    assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{refused:?}");
    let (after,): (i64,) = Sql::new("SELECT count(*) FROM properties").fetch_one(&test.store).await.unwrap();
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn a_contractors_profile_sets_trades_and_documents_and_an_expired_licence_blocks_assignment() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let profile = contractors::profile(&test.store, cast.staff, now(), cast.contractor.user_id).await.unwrap();
    let today = now().date_naive();
    let mut details = profile.details.clone();
    details.insurance_expires_on = Some(today + Duration::days(20));
    details.licence_expires_on = Some(today - Duration::days(1));
    details.hourly_rate = pence(4_250);
    details.notes = "  Prefers mornings ".into();
    let saved =
        contractors::update_profile(&test.store, cast.staff, now(), cast.contractor.user_id, &details).await.unwrap();
    assert_eq!(saved.insurance, DocumentStatus::ExpiresSoon { on: today + Duration::days(20), days_left: 20 });
    assert_eq!(saved.licence, DocumentStatus::Expired { on: today - Duration::days(1) });
    assert_eq!(saved.details.notes, "Prefers mornings");
    assert!(saved.blocked.as_deref().unwrap().contains("licence expired"), "{:?}", saved.blocked);

    let order = order_in(&test.store, &cast, State::New).await;
    let before = fingerprint(&test.store, order).await;
    let refused = act(&test.store, cast.staff, order, Step::Assign { contractor: cast.contractor.user_id }).await;
    assert!(
        matches!(&refused, Err(ServiceError::Validation { field: Field::Contractor, message }) if message.contains("licence expired")),
        "{refused:?}"
    );
    assert_eq!(fingerprint(&test.store, order).await, before);
    let choices = contractors::suggest(&test.store, cast.staff, now(), order).await.unwrap();
    let choice = choices.iter().find(|c| c.id == cast.contractor.user_id).unwrap();
    assert!(choice.blocked.as_deref().unwrap().contains("licence expired"));

    details.licence_expires_on = Some(today + Duration::days(400));
    contractors::update_profile(&test.store, cast.staff, now(), cast.contractor.user_id, &details).await.unwrap();
    act(&test.store, cast.staff, order, Step::Assign { contractor: cast.contractor.user_id }).await.unwrap();

    details.trades = vec![plumbline_domain::ids::CategoryId(999_999)];
    let refused = contractors::update_profile(&test.store, cast.staff, now(), cast.contractor.user_id, &details).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Trades, .. })), "{refused:?}");
}

#[tokio::test]
async fn a_landlord_who_approves_themselves_is_not_approved_for_by_staff() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let rules = LandlordRules {
        thresholds: ApprovalThresholds { notify_from: pence(10_000), approval_above: pence(30_000) },
        staff_may_approve: false,
    };
    let record = landlords::set_rules(&test.store, cast.staff, now(), cast.landlord.user_id, &rules).await.unwrap();
    assert_eq!(record.rules, rules);
    assert!(!record.properties.is_empty());

    let order = order_in(&test.store, &cast, State::New).await;
    act(&test.store, cast.staff, order, Step::RequestApproval { estimate_minor: pence(40_000) }).await.unwrap();
    let detail = work_orders::detail(&test.store, cast.staff, now(), order).await.unwrap();
    assert!(!detail.allowed_actions.contains(&plumbline_domain::Action::Approve), "staff are not offered it");
    let refused = act(&test.store, cast.staff, order, Step::Approve { note: String::new() }).await;
    assert!(matches!(&refused, Err(ServiceError::InvalidTransition(_))), "{refused:?}");
    assert!(refused.unwrap_err().to_string().contains("approves costs above their threshold themselves"));
    act(&test.store, cast.landlord, order, Step::Approve { note: String::new() }).await.unwrap();

    let backwards = LandlordRules {
        thresholds: ApprovalThresholds { notify_from: pence(50_000), approval_above: pence(100) },
        ..rules
    };
    let refused = landlords::set_rules(&test.store, cast.staff, now(), cast.landlord.user_id, &backwards).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::NotifyFrom, .. })), "{refused:?}");
}

#[tokio::test]
async fn new_sla_targets_and_hours_apply_to_new_orders_only_and_each_change_is_recorded() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let admin = admin(&test.store).await;
    let existing = submit_routine(&test.store, &cast).await;
    let existing_before = work_orders::detail(&test.store, cast.staff, now(), existing).await.unwrap();

    let mut rules = settings::rules(&test.store, admin).await.unwrap();
    let routine = rules.sla.iter_mut().find(|r| r.priority == Priority::Routine).unwrap();
    routine.respond = SlaSpan::Hours(8);
    routine.resolve = SlaSpan::BusinessDays(2);
    rules.day_start = "08:00".into();
    // Tomorrow (Tuesday 24 November 2026) is a holiday.
    rules
        .bank_holidays
        .push(plumbline_domain::api::BankHoliday { day: day("2026-11-24"), name: "Founders' Day".into() });
    settings::update(&test.store, admin, now(), &rules).await.unwrap();

    let after = work_orders::detail(&test.store, cast.staff, now(), existing).await.unwrap();
    assert_eq!(
        (after.respond_by, after.resolve_by),
        (existing_before.respond_by, existing_before.resolve_by),
        "never silently moved"
    );
    let new = submit_routine(&test.store, &cast).await;
    let new = work_orders::detail(&test.store, cast.staff, now(), new).await.unwrap();
    assert_eq!(new.respond_by, now() + Duration::hours(8));
    // Monday 09:30 UTC + 2 working days, skipping Tuesday's holiday: Thursday 09:30.
    assert_eq!(new.resolve_by.to_rfc3339(), "2026-11-26T09:30:00+00:00");

    let history = settings::history(&test.store, admin).await.unwrap();
    let mut changed: Vec<&str> = history.iter().map(|c| c.setting.as_str()).collect();
    changed.sort_unstable();
    assert_eq!(changed, ["Bank holidays", "SLA: Routine", "Working hours"]);
    let sla = history.iter().find(|c| c.setting == "SLA: Routine").unwrap();
    assert_eq!(
        (sla.before.as_str(), sla.after.as_str()),
        ("respond 48 hours, resolve 5 working days", "respond 8 hours, resolve 2 working days")
    );
    assert_eq!((sla.actor, sla.at), (admin.user_id, now()));
}

#[tokio::test]
async fn bad_settings_or_a_non_admin_change_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let admin = admin(&test.store).await;
    let rules = settings::rules(&test.store, admin).await.unwrap();
    for (bad, field) in [
        (plumbline_domain::api::AgencyRules { time_zone: "Mars/Olympus".into(), ..rules.clone() }, Field::TimeZone),
        (plumbline_domain::api::AgencyRules { day_end: "07:00".into(), ..rules.clone() }, Field::DayEnd),
        (plumbline_domain::api::AgencyRules { working_days: vec![], ..rules.clone() }, Field::WorkingDays),
        (plumbline_domain::api::AgencyRules { auto_close_days: 0, ..rules.clone() }, Field::AutoCloseDays),
        (plumbline_domain::api::AgencyRules { currency: "£".into(), ..rules.clone() }, Field::Currency),
    ] {
        let refused = settings::update(&test.store, admin, now(), &bad).await;
        assert!(
            matches!(refused, Err(ServiceError::Validation { field: f, .. }) if f == field),
            "{field:?}: {refused:?}"
        );
    }
    let mut zero = rules.clone();
    zero.sla[0].respond = SlaSpan::Hours(0);
    assert!(matches!(
        settings::update(&test.store, admin, now(), &zero).await,
        Err(ServiceError::Validation { field: Field::Sla, .. })
    ));
    let refused = settings::update(&test.store, cast.staff, now(), &rules).await;
    assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{refused:?}");
    assert_eq!(settings::rules(&test.store, admin).await.unwrap(), rules);
    assert!(settings::history(&test.store, admin).await.unwrap().is_empty());
}

#[tokio::test]
async fn money_limits_and_idle_sign_out_are_kept_checked_and_recorded_like_the_other_settings() {
    let test = demo_store().await;
    let admin = admin(&test.store).await;
    let rules = settings::rules(&test.store, admin).await.unwrap();
    assert_eq!(
        (rules.max_order_amount.minor_units(), rules.invoice_overrun_percent, rules.idle_sign_out_minutes),
        (100_000_000, 10, 60),
        "the defaults: 1,000,000.00 an order, 10% over, an hour idle"
    );
    for (bad, field) in [
        (
            plumbline_domain::api::AgencyRules {
                max_order_amount: plumbline_domain::MoneyMinor::ZERO,
                ..rules.clone()
            },
            Field::MaxOrderAmount,
        ),
        (plumbline_domain::api::AgencyRules { invoice_overrun_percent: 101, ..rules.clone() }, Field::InvoiceOverrun),
        (plumbline_domain::api::AgencyRules { idle_sign_out_minutes: 4, ..rules.clone() }, Field::IdleSignOut),
        (plumbline_domain::api::AgencyRules { idle_sign_out_minutes: 1441, ..rules.clone() }, Field::IdleSignOut),
    ] {
        let refused = settings::update(&test.store, admin, now(), &bad).await;
        assert!(
            matches!(refused, Err(ServiceError::Validation { field: f, .. }) if f == field),
            "{field:?}: {refused:?}"
        );
    }
    assert!(settings::history(&test.store, admin).await.unwrap().is_empty(), "nothing stored on refusal");

    let changed = plumbline_domain::api::AgencyRules {
        max_order_amount: pence(2_500_000),
        invoice_overrun_percent: 0,
        idle_sign_out_minutes: 15,
        ..rules
    };
    assert_eq!(settings::update(&test.store, admin, now(), &changed).await.unwrap(), changed);
    let agency = plumbline_service::agency::settings(&test.store).await.unwrap();
    assert_eq!(
        (agency.max_order_amount, agency.invoice_overrun_percent, agency.idle_sign_out_minutes),
        (pence(2_500_000), 0, 15),
        "the use cases and the sessions read them"
    );
    let mut trail: Vec<(String, String, String)> = settings::history(&test.store, admin)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.setting, c.before, c.after))
        .collect();
    trail.sort();
    let row = |setting: &str, before: &str, after: &str| (setting.to_owned(), before.to_owned(), after.to_owned());
    assert_eq!(
        trail,
        [
            row("Invoice may exceed the approved cost by", "10%", "0%"),
            row("Largest amount per order", "£1,000,000.00", "£25,000.00"),
            row("Sign out after idle", "60 minutes", "15 minutes"),
        ]
    );
}

#[tokio::test]
async fn who_may_use_the_web_portal_is_kept_and_recorded_like_the_other_settings() {
    let test = demo_store().await;
    let admin = admin(&test.store).await;
    let rules = settings::rules(&test.store, admin).await.unwrap();
    let default = WebPortal { staff: false, landlords: false, contractors: true, tenants: true };
    assert_eq!(rules.web_portal, default, "tenants and contractors by default");
    assert_eq!(settings::web_portal(&test.store).await.unwrap(), default);

    let opened = WebPortal { staff: true, tenants: false, ..default };
    let changed = plumbline_domain::api::AgencyRules { web_portal: opened, ..rules.clone() };
    let staff = Actor { role: Role::Staff, ..admin };
    assert!(matches!(settings::update(&test.store, staff, now(), &changed).await, Err(ServiceError::NotAllowed(_))));
    assert_eq!(settings::web_portal(&test.store).await.unwrap(), default, "only an admin changes it");

    assert_eq!(settings::update(&test.store, admin, now(), &changed).await.unwrap(), changed);
    assert_eq!(settings::rules(&test.store, admin).await.unwrap().web_portal, opened);
    assert_eq!(settings::web_portal(&test.store).await.unwrap(), opened, "what the agency server asks");
    let trail: Vec<(String, String, String)> = settings::history(&test.store, admin)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.setting, c.before, c.after))
        .collect();
    assert_eq!(
        trail,
        [("Web portal open to".to_owned(), "contractors, tenants".to_owned(), "staff, contractors".to_owned())]
    );
}

#[tokio::test]
async fn staff_are_reminded_of_insurance_running_out_30_and_7_days_ahead_once_each() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    // Whatever the demo already had due is settled; this contractor's is what is new.
    assert_eq!(contractors::remind_expiring(&test.store, now()).await.unwrap(), 0, "the seeded past is not news");
    let profile = contractors::profile(&test.store, cast.staff, now(), cast.contractor.user_id).await.unwrap();
    let today = now().date_naive();
    let mut details = profile.details.clone();
    details.insurance_expires_on = Some(today + Duration::days(20));
    details.licence_expires_on = None;
    contractors::update_profile(&test.store, cast.staff, now(), cast.contractor.user_id, &details).await.unwrap();

    assert_eq!(contractors::remind_expiring(&test.store, now()).await.unwrap(), 1);
    assert_eq!(contractors::remind_expiring(&test.store, now()).await.unwrap(), 0, "once");
    let bell = plumbline_service::notifications::list(&test.store, cast.staff).await.unwrap();
    let title = format!("Insurance expires in 20 days · {}", profile.details.company);
    assert_eq!(bell.items[0].title, title);
    assert!(bell.items[0].order.is_none());
    let contractor_bell = plumbline_service::notifications::list(&test.store, cast.contractor).await.unwrap();
    assert!(contractor_bell.items.iter().all(|n| n.title != title), "for staff only");

    let week_before = now() + Duration::days(13);
    assert_eq!(contractors::remind_expiring(&test.store, week_before).await.unwrap(), 1, "the 7-day reminder");
    assert_eq!(contractors::remind_expiring(&test.store, week_before + Duration::days(1)).await.unwrap(), 0);

    details.insurance_expires_on = Some(today + Duration::days(25));
    contractors::update_profile(&test.store, cast.staff, now(), cast.contractor.user_id, &details).await.unwrap();
    assert_eq!(
        contractors::remind_expiring(&test.store, now()).await.unwrap(),
        1,
        "a new expiry date is reminded afresh"
    );
}

#[tokio::test]
async fn an_agency_that_lets_tenants_cancel_after_acceptance_offers_it_until_work_starts() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let admin = admin(&test.store).await;
    let order = order_in(&test.store, &cast, State::Scheduled).await;
    let refused = act(&test.store, cast.tenant, order, Step::Cancel { reason: "Fixed it myself".into() }).await;
    assert!(refused.is_err(), "not by default");

    let rules = settings::rules(&test.store, admin).await.unwrap();
    let lenient = plumbline_domain::api::AgencyRules { tenants_may_cancel_after_accept: true, ..rules };
    settings::update(&test.store, admin, now(), &lenient).await.unwrap();
    let detail = work_orders::detail(&test.store, cast.tenant, now(), order).await.unwrap();
    assert!(detail.allowed_actions.contains(&plumbline_domain::Action::Cancel));
    act(&test.store, cast.tenant, order, Step::Cancel { reason: "Fixed it myself".into() }).await.unwrap();

    let started = order_in(&test.store, &cast, State::InProgress).await;
    let refused = act(&test.store, cast.tenant, started, Step::Cancel { reason: "Too late".into() }).await;
    assert!(refused.unwrap_err().to_string().contains("before the work has started"));
}

#[tokio::test]
async fn amounts_are_written_in_the_agencys_currency_from_the_next_change_on() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let admin = admin(&test.store).await;
    let rules = settings::rules(&test.store, admin).await.unwrap();
    settings::update(
        &test.store,
        admin,
        now(),
        &plumbline_domain::api::AgencyRules { currency: "eur".into(), ..rules },
    )
    .await
    .unwrap();

    let me = plumbline_service::users::current(&test.store, cast.staff).await.unwrap();
    assert_eq!(me.currency, "EUR", "the screens write amounts in it");
    let order = order_in(&test.store, &cast, State::New).await;
    act(&test.store, cast.staff, order, Step::RequestApproval { estimate_minor: pence(65_000) }).await.unwrap();
    let detail = work_orders::detail(&test.store, cast.staff, now(), order).await.unwrap();
    let note = &detail.timeline.last().unwrap().note;
    assert_eq!(note, "Estimate €650.00 sent to the landlord for approval");
}
