//! What an order's PDFs are made from, read through the shell from this computer's demo
//! store: the whole history and thread, internal notes only for the agency and only
//! when asked for, and a cancelled read that yields nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::export_cancel::ExportCancel;
use crate::state::AppState;
use plumbline_domain::api::{self, ActOnWorkOrder, PostMessage, Step, TIMELINE_PAGE};
use plumbline_domain::{Actor, Priority, Role, UserId, WorkOrderId, commands};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::exports::{self, Gathered};
use plumbline_service::{Store, messages, work_orders};
use std::sync::{Arc, Mutex};

pub(crate) async fn open_demo() -> (tempfile::TempDir, AppState, Store) {
    let dir = tempfile::tempdir().expect("data dir");
    let state = AppState::open(dir.path().to_owned(), true, Arc::new(|_: bool| {})).await.expect("opens");
    let store = state.local().expect("this computer's store").store.clone();
    (dir, state, store)
}

pub(crate) async fn sign_in_as(state: &AppState, store: &Store, user: i64) {
    let (email,): (String,) =
        Sql::new("SELECT email FROM users WHERE id = ?").bind(user).fetch_one(store).await.unwrap();
    let request = api::SignIn { email, password: DEMO_PASSWORD.to_owned(), remember: false };
    state.sign_in(request).await.expect("signs in");
}

/// A new order given a history of three pages (its priority set back and forth) and an
/// internal note on its thread; the order, its landlord and the staff member.
async fn noted_order(store: &Store) -> (WorkOrderId, i64, i64) {
    let (order, landlord): (i64, i64) = Sql::new(
        "SELECT w.id, p.landlord_id FROM work_orders w JOIN properties p ON p.id = w.property_id
         WHERE w.state = 'New' ORDER BY w.id LIMIT 1",
    )
    .fetch_one(store)
    .await
    .unwrap();
    let (staff,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'staff' ORDER BY id LIMIT 1").fetch_one(store).await.unwrap();
    let actor = Actor { user_id: UserId(staff), role: Role::Staff };
    let id = WorkOrderId(order);
    for n in 0..2 * TIMELINE_PAGE {
        let (version,): (i64,) =
            Sql::new("SELECT version FROM work_orders WHERE id = ?").bind(order).fetch_one(store).await.unwrap();
        let priority = if n % 2 == 0 { Priority::Urgent } else { Priority::Routine };
        let step = Step::SetPriority { priority, reason: format!("Reason {n}") };
        work_orders::act(store, actor, AppState::now(), &ActOnWorkOrder { id, version, step }).await.unwrap();
    }
    let note = PostMessage { id, body: "Keep the old valve for the insurer".into(), internal: true };
    messages::post(store, actor, AppState::now(), &note).await.unwrap();
    (id, landlord, staff)
}

async fn gather(state: &AppState, id: WorkOrderId, internal_notes: bool, cancel: &ExportCancel) -> Option<Gathered> {
    let detail = state.run(commands::GetWorkOrder { id }).await.unwrap();
    let gathered = exports::with_history(state, detail).await.unwrap();
    let told = Mutex::new(Vec::new());
    let progress = |step: String| told.lock().unwrap().push(step);
    exports::with_messages_and_attachments(state, gathered, internal_notes, &|| cancel.asked(), &progress)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_whole_history_is_read_and_internal_notes_reach_the_agency_only_when_asked() {
    let (_dir, state, store) = open_demo().await;
    let (id, landlord, staff) = noted_order(&store).await;
    let (events,): (i64,) = Sql::new("SELECT count(*) FROM work_order_events WHERE work_order_id = ?")
        .bind(id.0)
        .fetch_one(&store)
        .await
        .unwrap();
    let cancel = ExportCancel::default();

    sign_in_as(&state, &store, staff).await;
    let with = gather(&state, id, true, &cancel).await.expect("not cancelled");
    assert!(events as usize > 2 * TIMELINE_PAGE);
    assert_eq!(with.history.len() as i64, events, "every page of the history, not only the newest");
    assert_eq!(with.history[0].what, "Submitted");
    assert!(with.history.windows(2).all(|pair| pair[0].at <= pair[1].at), "oldest first");
    assert!(with.internal_notes_included && with.messages.iter().any(|m| m.internal));
    let without = gather(&state, id, false, &cancel).await.expect("not cancelled");
    assert!(!without.internal_notes_included && without.messages.iter().all(|m| !m.internal));

    sign_in_as(&state, &store, landlord).await;
    let landlords = gather(&state, id, true, &cancel).await.expect("not cancelled");
    assert!(!landlords.internal_notes_included, "asking is not enough: the reader must be the agency");
    assert!(landlords.messages.iter().all(|m| !m.internal));
}

#[tokio::test]
async fn a_cancelled_read_gives_nothing_to_save() {
    let (_dir, state, store) = open_demo().await;
    let (id, _, staff) = noted_order(&store).await;
    sign_in_as(&state, &store, staff).await;
    let cancel = ExportCancel::default();
    cancel.start();
    cancel.cancel();
    assert!(gather(&state, id, false, &cancel).await.is_none());
    cancel.start();
    assert!(gather(&state, id, false, &cancel).await.is_some(), "the next pack starts afresh");
}
