//! Random `SubmitRequest`, `ActOnWorkOrder` and `PostMessage` commands, as JSON through
//! the same dispatch the agency server and the desktop run, by every role, against the
//! demo agency: none may panic or end in an internal error — every one is answered or
//! refused with a reason. Runs for `PLUMBLINE_FUZZ_SECONDS` (default 10; the issue's
//! ten-minute run is `PLUMBLINE_FUZZ_SECONDS=600 cargo test -p plumbline-service --test
//! service -- fuzz --nocapture`), and prints how many commands it sent.

use crate::fixtures::cast;
use crate::support::{demo_store, now};
use chrono::Duration;
use plumbline_domain::api::Field;
use plumbline_domain::{Action, Actor, Priority, Severity};
use plumbline_service::ServiceError;
use plumbline_service::api::{DispatchError, dispatch, execute};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

const SECONDS_VAR: &str = "PLUMBLINE_FUZZ_SECONDS";

/// Text as people and attackers type it: empty, blank, long, control and bidi
/// characters, quotes, SQL and markup.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   \n\t ".to_owned()),
        Just("'; DROP TABLE work_orders; --".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("\u{202E}gnp.exe\u{200B}\u{0}".to_owned()),
        "\\PC{0,40}",
        ".{0,300}",
        (0_usize..7000).prop_map(|n| "x".repeat(n)),
    ]
}

/// Amounts at and past every edge: negative, zero, the agency's limit, 2^53, i64's ends.
fn money() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-5_i64..5).prop_map(Value::from),
        (0_i64..200_000_000).prop_map(Value::from),
        prop::sample::select(vec![
            99_999_999_i64,
            100_000_000,
            100_000_001,
            1 << 53,
            (1 << 53) + 1,
            i64::MAX,
            i64::MIN
        ])
        .prop_map(Value::from),
        Just(json!(1.5)),
        Just(json!("100")),
    ]
}

/// Ids that exist in the demo agency, and ids that do not.
fn id() -> impl Strategy<Value = Value> {
    prop_oneof![4 => (1_i64..80).prop_map(Value::from), 1 => prop::sample::select(vec![0_i64, -1, i64::MAX, i64::MIN]).prop_map(Value::from)]
}

/// Instants from long ago to far ahead, around the test's "now".
fn instant() -> impl Strategy<Value = Value> {
    (-400_i64 * 24..400 * 24).prop_map(|hours| json!((now() + Duration::hours(hours)).to_rfc3339()))
}

fn step() -> impl Strategy<Value = Value> {
    let action = prop::sample::select(Action::ALL.to_vec());
    (action, text(), text(), money(), id(), instant(), instant(), any::<u8>(), prop::option::of(text())).prop_map(
        |(action, words, more_words, amount, user, start, end, stars, overrun)| {
            let name = format!("{action:?}");
            match action {
                Action::SetPriority => {
                    let priority = format!("{:?}", Priority::ALL[usize::from(stars) % Priority::ALL.len()]);
                    json!({ "action": name, "priority": priority, "reason": words })
                }
                Action::RequestApproval => json!({ "action": name, "estimate_minor": amount }),
                Action::Approve | Action::Close => json!({ "action": name, "note": words }),
                Action::RequestReschedule => json!({ "action": name, "note": words }),
                Action::DeclineEstimate | Action::Reject | Action::Decline | Action::Reopen | Action::Cancel => {
                    json!({ "action": name, "reason": words })
                }
                Action::Assign => json!({ "action": name, "contractor": user }),
                Action::Reassign => json!({ "action": name, "contractor": user, "reason": words }),
                Action::Accept | Action::Start | Action::ConfirmDone | Action::AutoClose => json!({ "action": name }),
                Action::Schedule => json!({ "action": name, "start": start, "end": end }),
                Action::Complete => json!({
                    "action": name, "notes": words, "invoice_minor": amount, "approve_overrun": overrun
                }),
                Action::ReportNotDone => json!({ "action": name, "report": words }),
                Action::Rate => json!({ "action": name, "stars": stars % 8, "comment": more_words }),
            }
        },
    )
}

/// One command's name and arguments.
fn command() -> impl Strategy<Value = (&'static str, Value)> {
    let act = (id(), (-2_i64..6), step()).prop_map(|(order, version, step)| {
        ("act_on_work_order", json!({ "request": { "id": order, "version": version, "step": step } }))
    });
    let access = prop::option::of((prop::option::of(text()), prop::option::of(text()), text(), text(), text()));
    let submit = (id(), id(), prop::sample::select(Severity::ALL.to_vec()), text(), access).prop_map(
        |(tenancy, subcategory, severity, description, access)| {
            let access = access.map(|(gate, lockbox, pets, contact, times)| {
                json!({ "gate_code": gate, "lockbox_code": lockbox, "pets": pets, "best_contact": contact, "preferred_times": times })
            });
            let request = json!({
                "tenancy": tenancy, "subcategory": subcategory, "severity": format!("{severity:?}"),
                "description": description, "access": access
            });
            ("submit_request", json!({ "request": request }))
        },
    );
    let post = (id(), text(), any::<bool>()).prop_map(|(order, body, internal)| {
        ("post_message", json!({ "request": { "id": order, "body": body, "internal": internal } }))
    });
    prop_oneof![3 => act, 1 => submit, 2 => post]
}

async fn with_current_version(store: &plumbline_service::Store, args: &mut Value) {
    let Some(order) = args["request"]["id"].as_i64() else { return };
    let version: Option<(i64,)> = plumbline_service::db::Sql::new("SELECT version FROM work_orders WHERE id = ?")
        .bind(order)
        .fetch_optional(store)
        .await
        .expect("reads the version");
    if let Some((version,)) = version {
        args["request"]["version"] = json!(version);
    }
}

#[tokio::test]
async fn random_commands_by_every_role_are_answered_or_refused_never_a_panic_or_an_internal_error() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let actors: [Actor; 7] = [
        cast.staff,
        cast.landlord,
        cast.tenant,
        cast.contractor,
        cast.other_landlord,
        cast.other_tenant,
        cast.other_contractor,
    ];
    let seconds = std::env::var(SECONDS_VAR).ok().and_then(|s| s.parse().ok()).unwrap_or(10_u64);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let mut runner = TestRunner::default();
    let (strategy, mut sent, mut refused) = (command(), 0_u64, 0_u64);
    while std::time::Instant::now() < until {
        let (name, mut args) = strategy.new_tree(&mut runner).expect("a command").current();
        if name == "act_on_work_order" && sent % 4 != 0 {
            // Mostly the order's current version, so steps get past the optimistic check.
            with_current_version(&test.store, &mut args).await;
        }
        let actor = actors[usize::try_from(sent % 7).expect("small")];
        // Time moves on, so clocks, limits and windows are crossed as they would be.
        let at = now() + Duration::minutes(i64::try_from(sent).expect("count"));
        let store = test.store.clone();
        let shown = args.to_string();
        let answer = tokio::spawn(async move { dispatch(&store, actor, at, name, args).await }).await;
        match answer {
            Err(panicked) => panic!("{name} by {:?} panicked ({panicked}): {shown:.2000}", actor.role),
            Ok(Err(DispatchError::Service(ServiceError::Internal(err)))) => {
                panic!("{name} by {:?} ended in an internal error ({err:#}): {shown:.2000}", actor.role)
            }
            Ok(Err(_)) => refused += 1,
            Ok(Ok(_)) => {}
        }
        sent += 1;
    }
    println!("fuzz: {sent} commands in {seconds} s, {refused} refused, {} carried out", sent - refused);
    assert!(sent > 0);
}

/// What the fuzzing found first: a NUL in a description was an internal error on
/// PostgreSQL (which cannot store one) and stored as-is on SQLite.
#[tokio::test]
async fn a_control_character_in_any_text_is_refused_by_its_field_and_nothing_is_stored() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let orders = || async {
        let (count,): (i64,) =
            plumbline_service::db::Sql::new("SELECT count(*) FROM work_orders").fetch_one(&test.store).await.unwrap();
        count
    };
    let before = orders().await;
    let request = json!({ "request": {
        "tenancy": cast.tenancy.0, "subcategory": 4, "severity": "Routine", "description": "Tap drips\u{0}", "access": null
    } });
    let refused = dispatch(&test.store, cast.tenant, now(), "submit_request", request.clone()).await;
    assert!(
        matches!(&refused, Err(DispatchError::Service(ServiceError::Validation { field: Field::Description, message }))
            if message.contains("U+0000")),
        "{refused:?}"
    );
    let typed: plumbline_domain::commands::SubmitRequest = serde_json::from_value(request).unwrap();
    let refused = execute(typed, &test.store, cast.tenant, now()).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Description, .. })), "{refused:?}");
    assert_eq!(orders().await, before);
}
