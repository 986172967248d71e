//! `GET /api/v1/changes`: the change feed as server-sent events. Each user's stream
//! carries only what they may see, arrives within a second of the commit (also when the
//! change was made through another server process on the same database), resumes from
//! `Last-Event-ID` without loss or duplicates, and ends when the session does or the
//! server stops.

use plumbline_domain::{Change, ChangeKind, ChangeSubject, Role, WorkOrderId};
use plumbline_server::Limits;
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_test_support::TestServer;
use serde_json::json;
use std::time::{Duration, Instant};

const WITHIN: Duration = Duration::from_secs(1);

/// An open stream, read event by event.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(server: &TestServer, token: &str, last_event_id: Option<i64>) -> Self {
        let mut request = server.client.get(format!("{}/api/v1/changes", server.base)).bearer_auth(token);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Self { response, buffer: String::new() }
    }

    /// The next change, or `None` when the stream ended; panics after `wait`.
    async fn next_within(&mut self, wait: Duration) -> Option<Change> {
        tokio::time::timeout(wait, self.next()).await.expect("an event (or the end) in time")
    }

    async fn next(&mut self) -> Option<Change> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (id, data) = parse(&block);
                if let Some(data) = data {
                    let change: Change = serde_json::from_str(&data).expect("a change");
                    assert_eq!(id, Some(change.id), "the event's id is the change's");
                    return Some(change);
                }
                continue; // a keep-alive comment
            }
            let chunk = self.response.chunk().await.ok()??;
            self.buffer.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
        }
    }

    /// Nothing arrives for a while (and the stream is still open).
    async fn nothing_for(&mut self, wait: Duration) {
        if let Ok(next) = tokio::time::timeout(wait, self.next()).await {
            panic!("expected nothing, got {next:?}");
        }
    }
}

fn parse(block: &str) -> (Option<i64>, Option<String>) {
    let mut id = None;
    let mut data = None;
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("id:") {
            id = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("data:") {
            data = Some(value.trim_start().to_owned());
        }
    }
    (id, data)
}

/// Two landlords' orders: the first demo landlord's and another landlord's, each New.
async fn new_orders_of_two_landlords(server: &TestServer) -> (i64, WorkOrderId, WorkOrderId) {
    let sql = "SELECT w.id FROM work_orders w JOIN properties p ON p.id = w.property_id
               WHERE p.landlord_id = ? AND w.state = 'New' ORDER BY w.id LIMIT 1";
    let (landlord,): (i64,) = Sql::new("SELECT id FROM users WHERE email = ?")
        .bind(server.demo_email(Role::Landlord).await)
        .fetch_one(server.store())
        .await
        .unwrap();
    let (other,): (i64,) =
        Sql::new("SELECT min(p.landlord_id) FROM properties p WHERE p.landlord_id <> ? AND EXISTS (SELECT 1 FROM work_orders w WHERE w.property_id = p.id AND w.state = 'New')")
            .bind(landlord)
            .fetch_one(server.store())
            .await
            .unwrap();
    let (own,): (i64,) = Sql::new(sql).bind(landlord).fetch_one(server.store()).await.unwrap();
    let (others,): (i64,) = Sql::new(sql).bind(other).fetch_one(server.store()).await.unwrap();
    (other, WorkOrderId(own), WorkOrderId(others))
}

async fn sign_in_as_user(server: &TestServer, user: i64) -> String {
    let (email,): (String,) =
        Sql::new("SELECT email FROM users WHERE id = ?").bind(user).fetch_one(server.store()).await.unwrap();
    server.sign_in(&email, DEMO_PASSWORD).await
}

async fn post_message(server: &TestServer, token: &str, order: WorkOrderId, internal: bool) {
    let args = json!({ "request": { "id": order.0, "body": "Checking in", "internal": internal } });
    let answer = server.call("post_message", Some(token), args).await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

async fn set_priority(server: &TestServer, token: &str, order: WorkOrderId) {
    let (version,): (i64,) =
        Sql::new("SELECT version FROM work_orders WHERE id = ?").bind(order.0).fetch_one(server.store()).await.unwrap();
    let step = json!({ "action": "SetPriority", "priority": "Urgent", "reason": "Water coming through" });
    let args = json!({ "request": { "id": order.0, "version": version, "step": step } });
    let answer = server.call("act_on_work_order", Some(token), args).await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

/// Reads until a change about `subject` arrives (within `WITHIN` of now); every change
/// read on the way.
async fn until_about(events: &mut Events, subject: ChangeSubject) -> Vec<Change> {
    let deadline = Instant::now() + WITHIN;
    let mut read = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let change = events.next_within(left).await.expect("the stream stays open");
        let found = change.subject == subject;
        read.push(change);
        if found {
            return read;
        }
    }
}

#[tokio::test]
async fn a_landlords_stream_gets_their_orders_step_within_a_second_and_never_another_landlords() {
    let server = TestServer::demo().await;
    let (_, own, others) = new_orders_of_two_landlords(&server).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let landlord = server.sign_in_as(Role::Landlord).await;
    let mut events = Events::open(&server, &landlord, None).await;

    post_message(&server, &staff, others, false).await;
    set_priority(&server, &staff, others).await;
    set_priority(&server, &staff, own).await;

    let read = until_about(&mut events, ChangeSubject::Order { id: own }).await;
    let step = read.last().unwrap();
    assert_eq!(step.kind, ChangeKind::Step);
    assert!(
        read.iter().all(|change| change.subject != ChangeSubject::Order { id: others }),
        "another landlord's order never reaches the stream: {read:?}"
    );
}

#[tokio::test]
async fn internal_notes_reach_the_staffs_stream_and_not_the_landlords() {
    let server = TestServer::demo().await;
    let (_, own, _) = new_orders_of_two_landlords(&server).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let landlord = server.sign_in_as(Role::Landlord).await;
    let mut staff_events = Events::open(&server, &staff, None).await;
    let mut landlord_events = Events::open(&server, &landlord, None).await;

    post_message(&server, &staff, own, true).await;
    post_message(&server, &staff, own, false).await;

    let order = ChangeSubject::Order { id: own };
    let staff_saw: Vec<_> = [staff_events.next_within(WITHIN).await, staff_events.next_within(WITHIN).await]
        .into_iter()
        .map(|change| change.map(|change| (change.subject, change.kind)))
        .collect();
    assert_eq!(staff_saw, [Some((order, ChangeKind::InternalNote)), Some((order, ChangeKind::Message))]);
    let landlord_saw = landlord_events.next_within(WITHIN).await.unwrap();
    assert_eq!((landlord_saw.subject, landlord_saw.kind), (order, ChangeKind::Message), "the note is left out");
}

#[tokio::test]
async fn resuming_from_the_last_event_id_delivers_exactly_what_was_missed() {
    let server = TestServer::demo().await;
    let (_, own, _) = new_orders_of_two_landlords(&server).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let landlord = server.sign_in_as(Role::Landlord).await;
    let mut events = Events::open(&server, &landlord, None).await;
    post_message(&server, &staff, own, false).await;
    let seen = events.next_within(WITHIN).await.unwrap();
    drop(events);

    post_message(&server, &staff, own, false).await;
    post_message(&server, &staff, own, true).await;
    post_message(&server, &staff, own, false).await;
    let mut resumed = Events::open(&server, &landlord, Some(seen.id)).await;

    let first = resumed.next_within(WITHIN).await.unwrap();
    let second = resumed.next_within(WITHIN).await.unwrap();
    assert!(seen.id < first.id && first.id < second.id, "{seen:?} {first:?} {second:?}");
    assert_eq!((first.kind, second.kind), (ChangeKind::Message, ChangeKind::Message), "the note is not theirs");
    resumed.nothing_for(Duration::from_millis(300)).await;
    post_message(&server, &staff, own, false).await;
    let live = resumed.next_within(WITHIN).await.unwrap();
    assert!(live.id > second.id, "then live again, nothing twice");

    let by_query = server
        .client
        .get(format!("{}/api/v1/changes?after={}", server.base, seen.id))
        .bearer_auth(&landlord)
        .send()
        .await
        .unwrap();
    let mut by_query = Events { response: by_query, buffer: String::new() };
    assert_eq!(by_query.next_within(WITHIN).await, Some(first), "?after= resumes the same way");
}

/// A browser's EventSource cannot read `x-plumbline-starts-after`: the stream's first
/// event names its starting point as an id alone, which the browser sends back as
/// `Last-Event-ID` if the connection drops before any change arrives. Nothing made in
/// between is missed.
#[tokio::test]
async fn a_stream_names_where_it_starts_before_any_change_so_a_browser_resumes_from_there() {
    let server = TestServer::demo().await;
    let (_, own, _) = new_orders_of_two_landlords(&server).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let landlord = server.sign_in_as(Role::Landlord).await;
    let mut events = Events::open(&server, &landlord, None).await;
    let starts_after: i64 = events.response.headers()["x-plumbline-starts-after"].to_str().unwrap().parse().unwrap();
    let opening = tokio::time::timeout(WITHIN, events.response.chunk()).await.unwrap().unwrap().unwrap();
    let opening = std::str::from_utf8(&opening).unwrap();
    assert_eq!(parse(opening), (Some(starts_after), None), "an id alone, no data: {opening:?}");
    drop(events);

    post_message(&server, &staff, own, false).await;
    let mut resumed = Events::open(&server, &landlord, Some(starts_after)).await;
    let missed = resumed.next_within(WITHIN).await.unwrap();
    assert!(missed.id > starts_after);
    assert_eq!(missed.kind, ChangeKind::Message, "the message made while the browser was away");
}

#[tokio::test]
async fn a_stream_ends_when_its_session_does() {
    let server = TestServer::demo().await;
    let landlord = server.sign_in_as(Role::Landlord).await;
    let mut events = Events::open(&server, &landlord, None).await;

    let signed_out = server.call("sign_out", Some(&landlord), json!({})).await;
    assert_eq!(signed_out.status, 200);

    assert_eq!(events.next_within(WITHIN).await, None, "the signed-out user's stream ends at once");
    let refused = server.client.get(format!("{}/api/v1/changes", server.base)).bearer_auth(&landlord).send().await;
    assert_eq!(refused.unwrap().status(), 401);
    let anonymous = server.client.get(format!("{}/api/v1/changes", server.base)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_deactivated_users_stream_ends() {
    let server = TestServer::demo().await;
    let (other, _, _) = new_orders_of_two_landlords(&server).await;
    let landlord = sign_in_as_user(&server, other).await;
    let admin = server.sign_in_as(Role::Admin).await;
    let mut events = Events::open(&server, &landlord, None).await;

    let answer = server.call("set_user_active", Some(&admin), json!({ "user": other, "active": false })).await;
    assert_eq!(answer.status, 200, "{answer:?}");

    assert_eq!(events.next_within(WITHIN).await, None);
}

#[tokio::test]
async fn shutting_down_ends_the_open_streams() {
    let mut server = TestServer::demo().await;
    let landlord = server.sign_in_as(Role::Landlord).await;
    let mut events = Events::open(&server, &landlord, None).await;

    let stopping = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), server.shutdown())
        .await
        .expect("shuts down without waiting out the grace");

    assert!(stopping.elapsed() < Duration::from_secs(5), "{:?}", stopping.elapsed());
    assert_eq!(events.next_within(WITHIN).await, None);
}

#[tokio::test]
async fn a_change_made_through_one_server_reaches_a_stream_on_another_within_a_second() {
    let first = TestServer::demo().await;
    // A second server process on the same database (or, on SQLite, the same file).
    let second = TestServer::start(first.test_store.opened_again().await, Limits::default()).await;
    let (_, own, _) = new_orders_of_two_landlords(&first).await;
    let staff = first.sign_in_as(Role::Staff).await;
    let landlord = second.sign_in_as(Role::Landlord).await;
    let mut events = Events::open(&second, &landlord, None).await;

    let committed = Instant::now();
    set_priority(&first, &staff, own).await;

    let read = until_about(&mut events, ChangeSubject::Order { id: own }).await;
    eprintln!("across servers: the step arrived {:?} after it was sent", committed.elapsed());
    assert_eq!(read.last().map(|change| change.kind), Some(ChangeKind::Step));
}
