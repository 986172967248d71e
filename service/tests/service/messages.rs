//! Messages: each order's thread among its parties, internal notes only the agency is
//! ever sent, tenants' direct threads with the agency, and unread counts per reader.
//! Every refusal checks that nothing was stored.

use crate::fixtures::{Cast, act, cast, order_in, sample_step, table_counts};
use crate::support::{demo_store, now};
use chrono::Duration;
use plumbline_domain::api::{Field, Message, MessageThread, PostDirectMessage, PostMessage};
use plumbline_domain::message::{MAX_MESSAGE_CHARS, RETRACT_WINDOW_MINUTES};
use plumbline_domain::{Action, Actor, ChangeKind, ChangeSubject, Role, State, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, messages};

/// Messages stored by the test itself, all sent at `now`: the demo's generated
/// conversations are all in its past.
async fn stored_messages(store: &Store) -> i64 {
    let query = Sql::new("SELECT count(*) FROM messages WHERE sent_at >= ?").bind(now().timestamp());
    query.fetch_one::<(i64,)>(store).await.unwrap().0
}

async fn post(
    store: &Store,
    actor: Actor,
    id: WorkOrderId,
    body: &str,
    internal: bool,
) -> Result<Message, ServiceError> {
    messages::post(store, actor, now(), &PostMessage { id, body: body.into(), internal }).await
}

async fn thread(store: &Store, actor: Actor, id: WorkOrderId) -> MessageThread {
    messages::list(store, actor, now(), id, None).await.unwrap()
}

fn bodies(thread: &MessageThread) -> Vec<&str> {
    thread.messages.iter().map(|m| m.body.as_str()).collect()
}

async fn post_direct(store: &Store, actor: Actor, tenant: Option<UserId>, body: &str) -> Result<Message, ServiceError> {
    messages::post_direct(store, actor, now(), &PostDirectMessage { tenant, body: body.into() }).await
}

fn parties(cast: &Cast) -> [Actor; 4] {
    [cast.staff, cast.landlord, cast.contractor, cast.tenant]
}

fn assert_not_found<T: std::fmt::Debug>(result: Result<T, ServiceError>) {
    assert!(matches!(result, Err(ServiceError::NotFound { .. })), "expected not found, got {result:?}");
}

#[tokio::test]
async fn each_party_posts_on_the_orders_thread_and_reads_everyones_messages_in_order() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    for (n, party) in parties(&cast).into_iter().enumerate() {
        let message = post(store, party, id, &format!("  message {n}\n"), false).await.unwrap();
        assert_eq!(
            (message.body.as_str(), message.author_role, message.own),
            (&*format!("message {n}"), party.role, true)
        );
        assert_eq!(message.sent_at, now());
    }
    for party in parties(&cast) {
        let thread = thread(store, party, id).await;
        assert_eq!(bodies(&thread), ["message 0", "message 1", "message 2", "message 3"], "{:?}", party.role);
        let roles: Vec<Role> = thread.messages.iter().map(|m| m.author_role).collect();
        assert_eq!(roles, [Role::Staff, Role::Landlord, Role::Contractor, Role::Tenant]);
        let own: Vec<bool> = thread.messages.iter().map(|m| m.own).collect();
        assert_eq!(own.iter().filter(|own| **own).count(), 1, "{:?}", party.role);
        assert!(thread.messages.iter().all(|m| !m.author.is_empty() && !m.internal));
    }
}

#[tokio::test]
async fn people_unrelated_to_the_order_neither_read_nor_post_on_its_thread() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    post(store, cast.tenant, id, "The shower still drips", false).await.unwrap();
    for stranger in [cast.other_landlord, cast.other_tenant, cast.other_contractor] {
        assert_not_found(messages::list(store, stranger, now(), id, None).await);
        assert_not_found(post(store, stranger, id, "Hello", false).await);
    }
    assert_eq!(stored_messages(store).await, 1);
}

#[tokio::test]
async fn an_internal_note_is_listed_for_the_agency_and_never_for_the_other_parties() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::Assigned).await;
    post(store, cast.tenant, id, "When will someone come?", false).await.unwrap();
    let note = post(store, cast.staff, id, "Tenant was rude on the phone", true).await.unwrap();
    assert!(note.internal);
    post(store, cast.staff, id, "This week", false).await.unwrap();

    let staff_view = thread(store, cast.staff, id).await;
    assert!(staff_view.may_write_internal);
    assert_eq!(bodies(&staff_view), ["When will someone come?", "Tenant was rude on the phone", "This week"]);
    assert_eq!(staff_view.messages.iter().map(|m| m.internal).collect::<Vec<_>>(), [false, true, false]);
    for party in [cast.tenant, cast.landlord, cast.contractor] {
        let view = thread(store, party, id).await;
        assert_eq!(bodies(&view), ["When will someone come?", "This week"], "{:?}", party.role);
        assert!(view.messages.iter().all(|m| !m.internal));
        assert!(!view.may_write_internal);
    }

    // Reassigned away, the first contractor sees nothing of the order; the new one no note.
    act(store, cast.staff, id, sample_step(Action::Reassign, &cast).unwrap()).await.unwrap();
    assert_not_found(messages::list(store, cast.contractor, now(), id, None).await);
    assert_not_found(post(store, cast.contractor, id, "Still coming?", false).await);
    assert_eq!(bodies(&thread(store, cast.other_contractor, id).await), ["When will someone come?", "This week"]);
}

#[tokio::test]
async fn only_the_agency_may_write_an_internal_note() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    for party in [cast.tenant, cast.landlord, cast.contractor] {
        let refused = post(store, party, id, "Just between us", true).await;
        assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{:?}: {refused:?}", party.role);
    }
    assert_eq!(stored_messages(store).await, 0);
    let admin = Actor { role: Role::Admin, ..cast.staff };
    assert!(post(store, admin, id, "Admins may", true).await.unwrap().internal);
}

#[tokio::test]
async fn an_empty_or_over_long_body_is_refused_by_field_and_nothing_is_stored() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    let too_long = "x".repeat(MAX_MESSAGE_CHARS + 1);
    for body in ["", "  \n ", too_long.as_str()] {
        let refused = post(store, cast.tenant, id, body, false).await;
        assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Body, .. })), "{refused:?}");
        let refused = post_direct(store, cast.tenant, None, body).await;
        assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Body, .. })), "{refused:?}");
    }
    assert_eq!(stored_messages(store).await, 0);
    let longest = format!(" {} ", "x".repeat(MAX_MESSAGE_CHARS));
    assert_eq!(post(store, cast.tenant, id, &longest, false).await.unwrap().body.len(), MAX_MESSAGE_CHARS);
}

#[tokio::test]
async fn a_tenant_reads_only_their_own_direct_thread_and_the_agency_reads_and_answers_all() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let (tenant, other) = (cast.tenant, cast.other_tenant);
    post_direct(store, tenant, None, "Can I paint the hallway?").await.unwrap();
    post_direct(store, other, Some(other.user_id), "My rent question").await.unwrap();

    let listed = messages::direct_threads(store, cast.staff).await.unwrap();
    let tenants: Vec<UserId> = listed.iter().map(|t| t.tenant).collect();
    assert_eq!(tenants, [other.user_id, tenant.user_id], "most recent first");
    assert_eq!(listed[1].last_body, "Can I paint the hallway?");
    let own = messages::direct_threads(store, tenant).await.unwrap();
    assert_eq!(own.iter().map(|t| t.tenant).collect::<Vec<_>>(), [tenant.user_id]);

    assert_not_found(messages::direct_messages(store, tenant, now(), Some(other.user_id), None).await);
    assert_not_found(post_direct(store, tenant, Some(other.user_id), "Hi neighbour").await);
    assert_not_found(messages::direct_messages(store, cast.staff, now(), Some(cast.landlord.user_id), None).await);
    for outsider in [cast.landlord, cast.contractor] {
        let refused = post_direct(store, outsider, Some(tenant.user_id), "Hello").await;
        assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{refused:?}");
        assert!(matches!(messages::direct_threads(store, outsider).await, Err(ServiceError::NotAllowed(_))));
    }
    let unnamed = post_direct(store, cast.staff, None, "To whom?").await;
    assert!(matches!(unnamed, Err(ServiceError::Validation { field: Field::Tenant, .. })), "{unnamed:?}");
    assert_eq!(stored_messages(store).await, 2);

    post_direct(store, cast.staff, Some(tenant.user_id), "Yes, in a neutral colour").await.unwrap();
    let thread = messages::direct_messages(store, tenant, now(), None, None).await.unwrap();
    assert_eq!(bodies(&thread), ["Can I paint the hallway?", "Yes, in a neutral colour"]);
    assert_eq!(thread.messages.iter().map(|m| m.author_role).collect::<Vec<_>>(), [Role::Tenant, Role::Staff]);
    let others = messages::direct_messages(store, other, now(), None, None).await.unwrap();
    assert_eq!(bodies(&others), ["My rent question"]);
}

#[tokio::test]
async fn unread_counts_rise_for_the_other_readers_and_return_to_zero_once_read() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    post(store, cast.tenant, id, "One", false).await.unwrap();
    post(store, cast.tenant, id, "Two", false).await.unwrap();
    post(store, cast.staff, id, "Internal", true).await.unwrap();

    assert_eq!(thread(store, cast.tenant, id).await.unread, 0, "own messages are never unread");
    assert_eq!(thread(store, cast.landlord, id).await.unread, 2, "internal notes never count for a landlord");
    assert_eq!(thread(store, cast.landlord, id).await.unread, 0);
    let admin = Actor { role: Role::Admin, ..cast.staff };
    assert_eq!(thread(store, cast.staff, id).await.unread, 2);
    post(store, cast.contractor, id, "Three", false).await.unwrap();
    assert_eq!(thread(store, admin, id).await.unread, 1);
    assert_eq!(thread(store, cast.tenant, id).await.unread, 1);

    post_direct(store, cast.tenant, None, "Hello agency").await.unwrap();
    let unread = |threads: Vec<plumbline_domain::api::DirectThread>| threads[0].unread;
    assert_eq!(unread(messages::direct_threads(store, cast.staff).await.unwrap()), 1);
    assert_eq!(unread(messages::direct_threads(store, cast.tenant).await.unwrap()), 0);
    assert_eq!(
        messages::direct_messages(store, cast.staff, now(), Some(cast.tenant.user_id), None).await.unwrap().unread,
        1
    );
    assert_eq!(unread(messages::direct_threads(store, cast.staff).await.unwrap()), 0);
    post_direct(store, cast.staff, Some(cast.tenant.user_id), "Hello tenant").await.unwrap();
    assert_eq!(unread(messages::direct_threads(store, cast.tenant).await.unwrap()), 1);
    assert_eq!(unread(messages::direct_threads(store, cast.staff).await.unwrap()), 0);
}

async fn changes_after(store: &Store, actor: Actor, after: i64) -> Vec<plumbline_domain::Change> {
    plumbline_service::changes::since(store, actor, after, 100).await.unwrap()
}

#[tokio::test]
async fn the_author_retracts_within_the_window_others_see_it_retracted_and_the_agency_keeps_the_original() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    let sent = post(store, cast.tenant, id, "The code is 4512", false).await.unwrap();
    assert_eq!(sent.retractable_until, Some(now() + Duration::minutes(RETRACT_WINDOW_MINUTES)));
    assert_eq!(thread(store, cast.landlord, id).await.messages[0].retractable_until, None, "not theirs to retract");
    let before = plumbline_service::changes::latest(store).await.unwrap();

    let retracted = messages::retract(store, cast.tenant, now() + Duration::minutes(5), sent.id).await.unwrap();
    assert_eq!(retracted.retracted_at, Some(now() + Duration::minutes(5)));
    assert_eq!((retracted.body.as_str(), retracted.retractable_until), ("", None));
    for party in [cast.landlord, cast.contractor, cast.tenant] {
        let shown = &thread(store, party, id).await.messages[0];
        assert_eq!((shown.body.as_str(), shown.author.as_str()), ("", retracted.author.as_str()), "{:?}", party.role);
        assert!(shown.retracted_at.is_some());
    }
    let agency = &thread(store, cast.staff, id).await.messages[0];
    assert_eq!((agency.body.as_str(), agency.retracted_at), ("The code is 4512", retracted.retracted_at));
    assert_eq!(stored_messages(store).await, 1, "the row stays, kept in history");
    // Other screens hear of it live.
    for party in [cast.landlord, cast.staff] {
        let heard = changes_after(store, party, before).await;
        assert!(
            heard.iter().any(|c| c.kind == ChangeKind::Message && c.subject == ChangeSubject::Order { id }),
            "{:?}: {heard:?}",
            party.role
        );
    }
}

#[tokio::test]
async fn a_retraction_is_refused_for_others_messages_after_the_window_and_twice_changing_nothing() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    let sent = post(store, cast.tenant, id, "Please come at 9", false).await.unwrap();
    let note = post(store, cast.staff, id, "Tenant is often out", true).await.unwrap();
    let untouched = table_counts(store).await;
    let later = |minutes| now() + Duration::minutes(minutes);

    for other in [cast.staff, cast.landlord, cast.contractor] {
        let refused = messages::retract(store, other, later(1), sent.id).await;
        assert!(matches!(&refused, Err(ServiceError::NotAllowed(m)) if m.contains("author")), "{refused:?}");
    }
    assert_not_found(messages::retract(store, cast.other_tenant, later(1), sent.id).await);
    assert_not_found(messages::retract(store, cast.tenant, later(1), note.id).await);
    let late = messages::retract(store, cast.tenant, later(RETRACT_WINDOW_MINUTES), sent.id).await;
    assert!(matches!(&late, Err(ServiceError::NotAllowed(m)) if m.contains("minutes")), "{late:?}");
    assert_eq!(table_counts(store).await, untouched, "no refusal changed or announced anything");

    messages::retract(store, cast.tenant, later(9), sent.id).await.unwrap();
    let counted = table_counts(store).await;
    let twice = messages::retract(store, cast.tenant, later(9), sent.id).await;
    assert!(matches!(&twice, Err(ServiceError::NotAllowed(m)) if m.contains("already")), "{twice:?}");
    assert_eq!(table_counts(store).await, counted);

    // Staff retract their own internal note: only the agency hears of it.
    let before = plumbline_service::changes::latest(store).await.unwrap();
    messages::retract(store, cast.staff, later(2), note.id).await.unwrap();
    assert!(changes_after(store, cast.staff, before).await.iter().any(|c| c.kind == ChangeKind::InternalNote));
    assert!(changes_after(store, cast.tenant, before).await.is_empty());
}

#[tokio::test]
async fn a_retracted_direct_message_is_retracted_in_the_thread_list_too() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    post_direct(store, cast.tenant, None, "Ignore me").await.unwrap();
    let sent = post_direct(store, cast.staff, Some(cast.tenant.user_id), "Your deposit is 1200").await.unwrap();
    messages::retract(store, cast.staff, now(), sent.id).await.unwrap();
    let listed = messages::direct_threads(store, cast.tenant).await.unwrap();
    assert_eq!(listed[0].last_body, "Message retracted");
    let shown = messages::direct_messages(store, cast.tenant, now(), None, None).await.unwrap();
    assert_eq!(bodies(&shown), ["Ignore me", ""]);
    let agency = messages::direct_messages(store, cast.staff, now(), Some(cast.tenant.user_id), None).await.unwrap();
    assert_eq!(bodies(&agency), ["Ignore me", "Your deposit is 1200"]);
}
