//! Every command the server runs, as every demo role, over HTTPS and in process on a twin
//! of the same store at the same instant: the answers and refusals are the same, call for
//! call, writes included (each store sees the same calls in the same order). Over HTTPS,
//! the roles take turns asking as the desktop's client does (JSON) and as a page does
//! (bytes, read as the command's declared answer), so every command answers both ways.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plumbline_domain::api::CommandError;
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::Store;
use plumbline_service::accounts::demo_accounts;
use plumbline_service::api::{self, DispatchError};
use plumbline_service::db::Sql;
use plumbline_test_support::{TestServer, seeded_at, twin_demo_stores};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The one number `sql` selects (an id, a version), or 0 when it selects none: the call
/// then meets "not found" the same way on both sides.
async fn one(store: &Store, sql: &str, bind: i64) -> i64 {
    let (id,): (Option<i64>,) =
        Sql::new(sql).bind(bind).fetch_one(store).await.unwrap_or_else(|err| panic!("{sql}: {err}"));
    id.unwrap_or(0)
}

/// The demo's people and some of their orders, by id.
struct Cast {
    users: Vec<(Role, i64)>,
    landlords_order: i64,
    contractors_order: i64,
    tenants_order: i64,
    new_order: (i64, i64),
    approval_order: (i64, i64),
    someone_else: i64,
    tenancy: i64,
    subcategory: i64,
    notification: i64,
    /// The tenant's home: its property, unit, and the tenancy's first day.
    property: i64,
    unit: i64,
    tenancy_start: String,
    landlord: i64,
    contractor: i64,
    /// The agency's rules as they stand, for the admin's save.
    rules: Value,
}

async fn cast(store: &Store) -> Cast {
    let mut users = Vec::new();
    for account in demo_accounts(store).await.expect("demo accounts") {
        let (id,): (i64,) =
            Sql::new("SELECT id FROM users WHERE email = ?").bind(&account.email).fetch_one(store).await.expect("id");
        users.push((account.role, id));
    }
    let id_of = |role: Role| users.iter().find(|(r, _)| *r == role).map(|(_, id)| *id).expect("a demo user");
    let (landlord, contractor, tenant) = (id_of(Role::Landlord), id_of(Role::Contractor), id_of(Role::Tenant));
    let of_landlord =
        "SELECT min(w.id) FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE p.landlord_id = ?";
    let awaiting = "SELECT min(w.id) FROM work_orders w JOIN properties p ON p.id = w.property_id
                    WHERE p.landlord_id = ? AND w.state = 'AwaitingApproval'";
    let approval_order = one(store, awaiting, landlord).await;
    let new_order = one(store, "SELECT min(id) FROM work_orders WHERE state = 'New' AND id > ?", 0).await;
    let version = "SELECT max(version) FROM work_orders WHERE id = ?";
    Cast {
        landlords_order: one(store, of_landlord, landlord).await,
        contractors_order: one(store, "SELECT min(id) FROM work_orders WHERE contractor_id = ?", contractor).await,
        tenants_order: one(store, "SELECT min(id) FROM work_orders WHERE tenant_id = ?", tenant).await,
        new_order: (new_order, one(store, version, new_order).await),
        approval_order: (approval_order, one(store, version, approval_order).await),
        someone_else: one(store, "SELECT max(id) FROM users WHERE role = 'tenant' AND id <> ?", tenant).await,
        tenancy: one(store, "SELECT min(id) FROM tenancies WHERE tenant_id = ? AND ended_on IS NULL", tenant).await,
        subcategory: one(store, "SELECT min(id) FROM categories WHERE parent_id IS NOT NULL AND id > ?", 0).await,
        notification: one(store, "SELECT min(id) FROM notifications WHERE user_id = ?", tenant).await,
        property: one(
            store,
            "SELECT min(n.property_id) FROM tenancies t JOIN units n ON n.id = t.unit_id WHERE t.tenant_id = ?",
            tenant,
        )
        .await,
        unit: one(store, "SELECT min(unit_id) FROM tenancies WHERE tenant_id = ?", tenant).await,
        tenancy_start: Sql::new("SELECT started_on FROM tenancies WHERE tenant_id = ? ORDER BY id LIMIT 1")
            .bind(tenant)
            .fetch_one::<(String,)>(store)
            .await
            .expect("a tenancy")
            .0,
        landlord,
        contractor,
        rules: agency_rules(store, &users).await,
        users,
    }
}

/// The agency's rules as an admin reads them, with auto-close moved to 10 days.
async fn agency_rules(store: &Store, users: &[(Role, i64)]) -> Value {
    let admin = users.iter().find(|(role, _)| *role == Role::Admin).map(|(_, id)| *id).expect("an admin");
    let actor = Actor { user_id: UserId(admin), role: Role::Admin };
    let mut rules = plumbline_service::settings::rules(store, actor).await.expect("rules");
    rules.auto_close_days = 10;
    serde_json::to_value(rules).expect("JSON")
}

/// The agency's records and settings, and an import: each with arguments that reach
/// its use case.
fn record_calls(cast: &Cast) -> Vec<(&'static str, Value)> {
    let access =
        json!({ "gate_code": "#77", "lockbox_code": null, "pets": "", "best_contact": "", "preferred_times": "" });
    let csv = "company,email,trades,contact_name\nNew Fixers,office@newfixers.example,Plumbing,Ann Fixer\n";
    let file = json!({ "file_name": "contractors.csv", "content_base64": STANDARD.encode(csv) });
    let details = json!({ "company": "Ace Repairs", "trades": [], "hourly_rate": 4000, "callout_fee": 0,
        "insurance_expires_on": "2030-01-31", "licence_expires_on": null, "preferred": true, "notes": "" });
    let category = json!({ "parent": null, "name": "Gardening", "default_priority": "Low", "troubleshooting": "",
        "emergency_keywords": "" });
    let rules = json!({ "thresholds": { "notify_from": 10000, "approval_above": 40000 }, "staff_may_approve": true });
    vec![
        ("list_properties", json!({ "search": { "query": "", "archived": false } })),
        ("get_property", json!({ "id": cast.property })),
        (
            "save_property",
            json!({ "id": null, "property": { "name": "", "street": "9 New Street", "city": "Bath", "postcode": "BA1 9ZZ",
            "landlord": cast.landlord } }),
        ),
        ("set_property_archived", json!({ "id": cast.property, "archived": false })),
        ("add_unit", json!({ "property": cast.property, "label": "Garden flat" })),
        (
            "add_tenancy",
            json!({ "tenancy": { "unit": cast.unit, "tenant": { "Existing": cast.someone_else }, "started_on": "2026-01-01",
            "ended_on": null, "access": access } }),
        ),
        (
            "update_tenancy",
            json!({ "tenancy": { "id": cast.tenancy, "started_on": cast.tenancy_start, "ended_on": null, "access": access } }),
        ),
        ("list_people", json!({ "role": "Tenant" })),
        ("list_contractors", json!({})),
        ("update_contractor", json!({ "id": cast.contractor, "details": details })),
        ("list_landlords", json!({})),
        ("set_landlord_rules", json!({ "id": cast.landlord, "rules": rules })),
        ("setup_checklist", json!({})),
        ("agency_rules", json!({})),
        ("update_agency_rules", json!({ "rules": cast.rules })),
        ("settings_history", json!({})),
        ("list_categories", json!({})),
        ("save_category", json!({ "id": null, "category": category })),
        (
            "add_schedule",
            json!({ "schedule": { "property": cast.property, "unit": cast.unit, "subcategory": cast.subcategory,
            "title": "Boiler service", "description": "Annual service", "lead_days": 14,
            "recurrence": { "Every": { "months": 12, "first": "2027-06-01" } } } }),
        ),
        ("list_schedules", json!({ "request": { "property": cast.property, "paused": true } })),
        // The demo's first schedule.
        ("get_schedule", json!({ "id": 1 })),
        ("set_schedule_paused", json!({ "id": 1, "paused": true })),
        (
            "record_certificate",
            json!({ "certificate": { "property": cast.property, "kind": "EPC", "issued_on": "2026-01-10",
            "expires_on": null } }),
        ),
        ("list_certificates", json!({ "request": { "property": null } })),
        (
            "ask_for_quotes",
            json!({ "request": { "order": cast.new_order.0, "contractors": [cast.contractor], "note": "Price it" } }),
        ),
        ("order_quotes", json!({ "id": cast.new_order.0 })),
        ("quote_requests", json!({})),
        // The first quote asked for, by the staff member's call above.
        (
            "submit_quote",
            json!({ "quote": { "quote": 1, "lines": [{ "description": "Parts", "amount_minor": 4500 }], "note": "" } }),
        ),
        ("approve_quote", json!({ "id": 1 })),
        ("decline_to_quote", json!({ "id": 1, "reason": "Fully booked" })),
        ("mail_settings", json!({})),
        (
            "update_mail_settings",
            json!({ "settings": { "host": "127.0.0.1", "port": 2525, "user": "", "sender": "repairs@agency.example",
            "security": "None" } }),
        ),
        (
            "update_mail_settings",
            json!({ "settings": { "host": "smtp example", "port": 0, "user": "", "sender": "",
            "security": "StartTls" } }),
        ),
        ("email_preferences", json!({})),
        (
            "set_email_preferences",
            json!({ "preferences": { "action_needed": true, "progress": true, "payments": false } }),
        ),
        ("preview_import", json!({ "file": file })),
        ("run_import", json!({ "file": file })),
    ]
}

/// Each command with arguments that reach its use case: some roles may, some may not.
fn calls(cast: &Cast) -> Vec<(&'static str, Value)> {
    let (orders, (new, new_version), (awaiting, awaiting_version)) =
        ([cast.landlords_order, cast.contractors_order, cast.tenants_order], cast.new_order, cast.approval_order);
    let mut calls = vec![
        ("notifications", json!({})),
        ("read_notification", json!({ "id": cast.notification })),
        ("list_users", json!({ "request": { "search": "" } })),
        ("unlock_user", json!({ "user": cast.someone_else })),
        ("set_user_active", json!({ "user": cast.someone_else, "active": true })),
        ("list_admin_actions", json!({ "request": {} })),
        ("list_work_orders", json!({ "request": { "limit": 25 } })),
        ("staff_dashboard", json!({})),
        ("triage_queue", json!({})),
        ("filter_options", json!({})),
        ("search_tenancies", json!({ "request": { "query": "a", "limit": 5 } })),
        ("search", json!({ "request": { "text": "blocked drian", "limit": 5 } })),
        (
            "run_report",
            json!({ "request": { "kind": "Spend", "filter": { "from": "2026-01-01", "to": "2026-11-23", "landlord": null,
                "property": null, "category": null, "priority": null, "repeat_months": 6 } } }),
        ),
        ("intake_options", json!({})),
        ("landlord_dashboard", json!({})),
        ("contractor_dashboard", json!({})),
        ("tenant_dashboard", json!({})),
        ("direct_threads", json!({})),
        ("direct_messages", json!({ "tenant": null })),
        ("post_direct_message", json!({ "request": { "tenant": null, "body": "Is the boiler visit still on?" } })),
        ("retract_message", json!({ "id": 1 })),
        ("attachment_data", json!({ "id": 1 })),
        ("suggest_contractors", json!({ "id": new })),
        ("explain_action", json!({ "id": new, "action": "Cancel" })),
        (
            "act_on_work_order",
            json!({ "request": { "id": new, "version": new_version,
            "step": { "action": "SetPriority", "priority": "Urgent", "reason": "Water near the fuse box" } } }),
        ),
        (
            "act_on_work_order",
            json!({ "request": { "id": awaiting, "version": awaiting_version,
            "step": { "action": "Approve", "note": "Go ahead" } } }),
        ),
        (
            "submit_request",
            json!({ "request": { "tenancy": cast.tenancy, "subcategory": cast.subcategory,
            "severity": "Routine", "description": "The kitchen tap drips all night" } }),
        ),
        (
            "record_payout",
            json!({ "request": { "id": cast.contractors_order, "reference": "BACS-0042",
            "paid_on": seeded_at().date_naive() } }),
        ),
        ("read_all_notifications", json!({})),
        ("set_desktop_notifications", json!({ "on": false })),
        ("set_on_duty", json!({ "on": false })),
    ];
    calls.extend(record_calls(cast));
    for order in orders {
        calls.push(("get_work_order", json!({ "id": order })));
        calls.push(("list_attachments", json!({ "id": order })));
        calls.push(("list_messages", json!({ "id": order })));
        calls.push(("work_order_history", json!({ "id": order, "before": { "at": seeded_at(), "event": i64::MAX } })));
        calls.push(("post_message", json!({ "request": { "id": order, "body": "On my way", "internal": false } })));
    }
    calls
}

/// A temporary password is random: the same answer has a different one each time.
fn without_passwords(mut answer: Value) -> Value {
    if let Some(password) = answer.get_mut("password") {
        *password = json!("(temporary)");
    }
    answer
}

/// The command's answer in process, or its refusal as the body the server would send.
async fn in_process(store: &Store, actor: Actor, name: &str, args: &Value) -> Result<Value, Value> {
    match api::dispatch(store, actor, seeded_at(), name, args.clone()).await {
        Ok(answer) => Ok(answer),
        Err(DispatchError::Service(err)) => Err(serde_json::to_value(CommandError::from(err)).expect("JSON")),
        Err(other) => panic!("{name} {args}: {other}"),
    }
}

#[tokio::test]
async fn every_command_as_every_role_answers_over_https_as_in_process() {
    let (served, twin) = twin_demo_stores().await;
    let server = TestServer::start_at_seed_time(served).await;
    let cast = cast(server.store()).await;
    let calls = calls(&cast);
    let called: BTreeSet<&str> = calls.iter().map(|(name, _)| *name).collect();
    // Admin-only user management that would change the demo's accounts comes last, apart.
    let apart = ["create_user", "reset_password"];
    let missing: Vec<&&str> =
        api::HANDLED.iter().filter(|name| !called.contains(*name) && !apart.contains(*name)).collect();
    assert!(missing.is_empty(), "commands not called here: {missing:?}");
    let mut refusals = 0;
    for (turn, (role, user)) in cast.users.iter().enumerate() {
        let token = server.sign_in_as(*role).await;
        let actor = Actor { user_id: UserId(*user), role: *role };
        for (call, (name, args)) in calls.iter().enumerate() {
            let over_https = match (turn + call) % 2 {
                0 => server.call(name, Some(&token), args.clone()).await,
                _ => server.call_for_page(name, Some(&token), args.clone()).await,
            };
            let expected = in_process(&twin.store, actor, name, args).await;
            assert_eq!(over_https.status == 200, expected.is_ok(), "{role:?} {name}: {over_https:?}");
            refusals += usize::from(expected.is_err());
            assert_eq!(over_https.body, expected.unwrap_or_else(|refusal| refusal), "{role:?} {name} {args}");
        }
    }
    assert!(refusals > 0 && refusals < cast.users.len() * calls.len(), "both answers and refusals were compared");
    for (role, user) in &cast.users {
        let token = server.sign_in_as(*role).await;
        let actor = Actor { user_id: UserId(*user), role: *role };
        let email = format!("new.{}@example.com", role.as_str());
        let apart_calls = [
            (
                "create_user",
                json!({ "user": { "name": "New Person", "email": email, "phone": "", "role": "Staff", "company": "" } }),
            ),
            ("reset_password", json!({ "user": cast.someone_else })),
        ];
        for (name, args) in apart_calls {
            let over_https = server.call(name, Some(&token), args.clone()).await;
            let expected = in_process(&twin.store, actor, name, &args).await.unwrap_or_else(|refusal| refusal);
            assert_eq!(without_passwords(over_https.body), without_passwords(expected), "{role:?} {name}");
        }
    }
}
