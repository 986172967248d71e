//! Each demo role over HTTPS gets what the same command gives it in process — answers
//! and refusals alike — since both go through the service's one dispatch table; and a
//! role's refusals store nothing.

use plumbline_domain::api::CommandError;
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::api::{self, DispatchError};
use plumbline_service::db::Sql;
use plumbline_test_support::{Answer, TestServer};
use serde_json::{Value, json};

/// What `name` answers `actor` in process, as the body the server would send.
async fn in_process(server: &TestServer, actor: Actor, name: &str, args: &Value) -> Value {
    match api::dispatch(server.store(), actor, plumbline_server::now(), name, args.clone()).await {
        Ok(answer) => answer,
        Err(DispatchError::Service(err)) => serde_json::to_value(CommandError::from(err)).expect("JSON"),
        Err(other) => panic!("{name} {args}: {other}"),
    }
}

/// Signs in as the demo account of `role`; its token and who it acts as.
async fn signed_in(server: &TestServer, role: Role) -> (String, Actor) {
    let token = server.sign_in_as(role).await;
    let session = server.call("session", Some(&token), json!({})).await;
    let id = session.body["SignedIn"]["user"]["id"].as_i64().expect("signed in");
    (token, Actor { user_id: UserId(id), role })
}

/// Runs `name` over HTTPS and in process; both must agree, and the HTTP status must be
/// `status`.
async fn same_both_ways(server: &TestServer, role: Role, name: &str, args: Value, status: u16) -> Answer {
    let (token, actor) = signed_in(server, role).await;
    let over_https = server.call(name, Some(&token), args.clone()).await;
    assert_eq!(over_https.status, status, "{role:?} {name}: {over_https:?}");
    assert_eq!(over_https.body, in_process(server, actor, name, &args).await, "{role:?} {name}");
    over_https
}

fn first_page() -> Value {
    json!({ "request": { "limit": 50 } })
}

#[tokio::test]
async fn staff_and_admins_run_the_desk_and_only_admins_manage_users() {
    let server = TestServer::demo().await;
    for name in ["staff_dashboard", "triage_queue", "filter_options", "intake_options"] {
        same_both_ways(&server, Role::Staff, name, json!({}), 200).await;
    }
    same_both_ways(&server, Role::Staff, "list_work_orders", first_page(), 200).await;
    let users = json!({ "request": { "search": "" } });
    let refused = same_both_ways(&server, Role::Staff, "list_users", users.clone(), 403).await;
    assert_eq!(refused.code(), "not_allowed");
    same_both_ways(&server, Role::Admin, "list_users", users, 200).await;
    same_both_ways(&server, Role::Staff, "landlord_dashboard", json!({}), 403).await;
}

#[tokio::test]
async fn a_landlord_sees_only_their_own_orders_and_another_landlords_are_not_found() {
    let server = TestServer::demo().await;
    let (_, landlord) = signed_in(&server, Role::Landlord).await;
    same_both_ways(&server, Role::Landlord, "landlord_dashboard", json!({}), 200).await;
    let page = same_both_ways(&server, Role::Landlord, "list_work_orders", first_page(), 200).await;
    let (theirs,): (i64,) = Sql::new(
        "SELECT count(*) FROM work_orders w JOIN units u ON u.id = w.unit_id JOIN properties p ON p.id = u.property_id
         WHERE p.landlord_id = ?",
    )
    .bind(landlord.user_id.0)
    .fetch_one(server.store())
    .await
    .expect("count");
    assert_eq!(page.body["total"], json!(theirs), "the list counts exactly the landlord's orders");
    assert!(theirs < server.count("work_orders").await);

    let (someone_elses,): (i64,) = Sql::new(
        "SELECT min(w.id) FROM work_orders w JOIN units u ON u.id = w.unit_id JOIN properties p ON p.id = u.property_id
         WHERE p.landlord_id <> ?",
    )
    .bind(landlord.user_id.0)
    .fetch_one(server.store())
    .await
    .expect("another landlord's order");
    let hidden = same_both_ways(&server, Role::Landlord, "get_work_order", json!({ "id": someone_elses }), 404).await;
    assert_eq!(hidden.code(), "not_found");
    let before = server.count("work_order_events").await;
    let approve =
        json!({ "request": { "id": someone_elses, "version": 1, "step": { "action": "Approve", "note": "" } } });
    let acted = same_both_ways(&server, Role::Landlord, "act_on_work_order", approve, 404).await;
    assert_eq!(acted.code(), "not_found");
    assert_eq!(server.count("work_order_events").await, before, "nothing was written");
    same_both_ways(&server, Role::Landlord, "staff_dashboard", json!({}), 403).await;
}

#[tokio::test]
async fn a_contractor_and_a_tenant_each_have_their_own_desk_only() {
    let server = TestServer::demo().await;
    same_both_ways(&server, Role::Contractor, "contractor_dashboard", json!({}), 200).await;
    same_both_ways(&server, Role::Contractor, "list_work_orders", first_page(), 200).await;
    same_both_ways(&server, Role::Contractor, "tenant_dashboard", json!({}), 403).await;
    same_both_ways(&server, Role::Contractor, "triage_queue", json!({}), 403).await;
    same_both_ways(&server, Role::Tenant, "tenant_dashboard", json!({}), 200).await;
    same_both_ways(&server, Role::Tenant, "list_work_orders", first_page(), 200).await;
    same_both_ways(&server, Role::Tenant, "contractor_dashboard", json!({}), 403).await;
    same_both_ways(&server, Role::Tenant, "list_users", json!({ "request": { "search": "" } }), 403).await;
}
