//! The command table: every declared command is run by `dispatch` or by each side itself,
//! never both and never neither; `dispatch` refuses what is not a command's JSON without
//! touching the store, and answers exactly as the use case does.

use crate::fixtures::{act, cast, fingerprint, order_in, pence};
use crate::support::{demo_store, now};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plumbline_domain::api::{ListWorkOrders, Step, WorkOrderFilter};
use plumbline_domain::{Actor, AttachmentKind, Command, State, commands};
use plumbline_service::api::{DispatchError, HANDLED, Handle, LOCAL_ONLY, MAIL_SECRETS, SESSION, dispatch};
use plumbline_service::{ServiceError, Store, attachments, work_orders};
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn call(store: &Store, actor: Actor, name: &str, args: Value) -> Result<Value, DispatchError> {
    dispatch(store, actor, now(), name, args).await
}

#[test]
fn every_command_is_run_by_dispatch_or_by_each_side_never_both() {
    for name in commands::ALL {
        let places = [HANDLED, SESSION, LOCAL_ONLY, MAIL_SECRETS].iter().filter(|list| list.contains(name)).count();
        assert_eq!(places, 1, "{name} must be in exactly one of HANDLED, SESSION, LOCAL_ONLY, MAIL_SECRETS");
    }
    let listed: BTreeSet<_> = [HANDLED, SESSION, LOCAL_ONLY, MAIL_SECRETS].concat().into_iter().collect();
    assert_eq!(listed, commands::ALL.iter().copied().collect(), "a name no command has");
    let count = HANDLED.len() + SESSION.len() + LOCAL_ONLY.len() + MAIL_SECRETS.len();
    assert_eq!(count, commands::ALL.len(), "a name listed twice");
}

#[tokio::test]
async fn dispatch_knows_every_handled_command_and_no_other() {
    let test = demo_store().await;
    let staff = cast(&test.store).await.staff;
    for name in HANDLED {
        // `{}` is valid for some and missing fields for others: either way, it is a command.
        let answer = call(&test.store, staff, name, json!({})).await;
        assert!(!matches!(answer, Err(DispatchError::UnknownCommand(_))), "{name}: {answer:?}");
    }
    for name in [SESSION, LOCAL_ONLY, MAIL_SECRETS].concat() {
        let answer = call(&test.store, staff, name, json!({})).await;
        assert!(matches!(answer, Err(DispatchError::UnknownCommand(_))), "{name} is not the server's: {answer:?}");
    }
}

#[tokio::test]
async fn unknown_names_bad_json_and_unknown_fields_are_refused_and_change_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let id = order_in(&test.store, &cast, State::New).await;
    let version = work_orders::detail(&test.store, cast.staff, now(), id).await.unwrap().version;
    let message = json!({ "id": id, "body": "On my way", "internal": false });
    let estimate = |amount: i64| json!({ "id": id, "version": version, "step": { "action": "RequestApproval", "estimate_minor": amount } });
    let before = fingerprint(&test.store, id).await;

    let unknown = [
        ("no_such_command", json!({})),
        ("sign_in", json!({ "request": {} })),
        ("Get_Work_Order", json!({ "id": id })),
    ];
    for (name, args) in unknown {
        let answer = call(&test.store, cast.staff, name, args).await;
        assert!(matches!(&answer, Err(DispatchError::UnknownCommand(n)) if n == name), "{name}: {answer:?}");
    }
    let bad = [
        ("get_work_order", json!({}), "missing field `id`"),
        ("get_work_order", Value::Null, "invalid type: null"),
        ("get_work_order", json!({ "id": "seven" }), "invalid type: string"),
        ("get_work_order", json!({ "id": id, "as": "admin" }), "unknown field `as`"),
        ("staff_dashboard", json!({ "today": true }), "unknown field `today`"),
        ("post_message", json!({ "request": message, "urgent": true }), "unknown field `urgent`"),
        (
            "post_message",
            json!({ "request": { "id": id, "body": "Hi", "internal": false, "to": 1 } }),
            "unknown field `to`",
        ),
        ("act_on_work_order", json!({ "request": estimate(-1) }), "negative"),
    ];
    for (name, args, why) in bad {
        match call(&test.store, cast.staff, name, args.clone()).await {
            Err(DispatchError::BadArguments(message)) => assert!(message.contains(why), "{name} {args}: {message}"),
            other => panic!("{name} {args}: expected bad arguments, got {other:?}"),
        }
    }
    assert_eq!(fingerprint(&test.store, id).await, before, "a refused call stores nothing");
    // The same calls with good arguments do change the store.
    call(&test.store, cast.staff, "post_message", json!({ "request": message })).await.unwrap();
    call(&test.store, cast.staff, "act_on_work_order", json!({ "request": estimate(90_000) })).await.unwrap();
    assert_ne!(fingerprint(&test.store, id).await, before);
}

#[tokio::test]
async fn dispatch_answers_and_refuses_as_the_use_case_does() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let id = order_in(store, &cast, State::New).await;

    let direct = work_orders::detail(store, cast.landlord, now(), id).await.unwrap();
    let dispatched = call(store, cast.landlord, "get_work_order", json!({ "id": id })).await.unwrap();
    assert_eq!(dispatched, serde_json::to_value(&direct).unwrap());

    let request = ListWorkOrders {
        filter: WorkOrderFilter { states: vec![State::New], ..WorkOrderFilter::default() },
        sort: Default::default(),
        after: None,
        limit: 20,
    };
    let direct = work_orders::list(store, cast.staff, now(), &request).await.unwrap();
    let dispatched = call(store, cast.staff, "list_work_orders", json!({ "request": request })).await.unwrap();
    assert_eq!(dispatched, serde_json::to_value(&direct).unwrap());

    let direct = work_orders::staff_dashboard(store, cast.staff, now()).await.unwrap();
    let dispatched = call(store, cast.staff, commands::StaffDashboard::NAME, json!({})).await.unwrap();
    assert_eq!(dispatched, serde_json::to_value(&direct).unwrap());

    // A stranger is told the order is not there, the same way on both paths.
    let direct = work_orders::detail(store, cast.other_landlord, now(), id).await.unwrap_err();
    let dispatched = call(store, cast.other_landlord, "get_work_order", json!({ "id": id })).await.unwrap_err();
    assert!(matches!(direct, ServiceError::NotFound { .. }), "{direct:?}");
    assert!(matches!(&dispatched, DispatchError::Service(ServiceError::NotFound { .. })), "{dispatched:?}");
    assert_eq!(dispatched.to_string(), direct.to_string());
}

#[tokio::test]
async fn a_step_answers_with_the_order_as_it_now_stands() {
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let id = order_in(store, &cast, State::New).await;
    let version = work_orders::detail(store, cast.staff, now(), id).await.unwrap().version;
    let step = Step::RequestApproval { estimate_minor: pence(90_000) };
    let request = plumbline_domain::api::ActOnWorkOrder { id, version, step };

    let answer = commands::ActOnWorkOrder { request }.handle(store, cast.staff, now()).await.unwrap();
    assert_eq!(answer.row.state, State::AwaitingApproval);
    assert_eq!(answer, work_orders::detail(store, cast.staff, now(), id).await.unwrap());
    // Taken again with the old version: the same conflict as the use case gives.
    let stale = json!({ "request": { "id": id, "version": version, "step": { "action": "Approve", "note": "" } } });
    let refused = call(store, cast.landlord, "act_on_work_order", stale).await.unwrap_err();
    assert!(matches!(refused, DispatchError::Service(ServiceError::Conflict)), "{refused:?}");
    let direct = act(store, cast.landlord, id, Step::Approve { note: String::new() }).await.unwrap();
    assert_eq!(direct.state, State::New, "the current version still works");
}

#[tokio::test]
async fn an_image_comes_back_as_a_data_url_of_its_bytes() {
    const JPEG: &[u8] = include_bytes!("../fixtures/leak.jpg");
    let test = demo_store().await;
    let (store, cast) = (&test.store, cast(&test.store).await);
    let id = order_in(store, &cast, State::New).await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("leak.jpg");
    std::fs::write(&path, JPEG).unwrap();
    let added =
        attachments::attach(store, cast.tenant, now(), &store.files_dir(), id, AttachmentKind::Before, &[path]).await;
    let photo = added.unwrap().remove(0);

    let url = call(store, cast.landlord, "attachment_data", json!({ "id": photo.id })).await.unwrap();
    let url = url.as_str().expect("a string");
    let encoded = url.strip_prefix("data:image/jpeg;base64,").expect("a JPEG data URL");
    assert_eq!(STANDARD.decode(encoded).unwrap(), JPEG);
    let stranger = call(store, cast.other_landlord, "attachment_data", json!({ "id": photo.id })).await;
    assert!(matches!(stranger, Err(DispatchError::Service(ServiceError::NotFound { .. }))), "{stranger:?}");
}
