//! The audit trail: every change to an order becomes one event, written inside the
//! caller's transaction so the change and its record stand or fall together. Beside
//! `work_orders` rather than inside it: payouts and attachments write events too, and
//! the order's own use cases read payments, so neither may depend on the other.

use crate::changes::NewChange;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::notifications;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::{ChangeKind, EventKind, State, UserId, WorkOrderId};

pub struct Event<'a> {
    pub order: WorkOrderId,
    pub at: DateTime<Utc>,
    /// `None`: the system (auto-close, reminders).
    pub actor: Option<UserId>,
    pub kind: EventKind,
    pub from: Option<State>,
    pub to: Option<State>,
    pub note: &'a str,
}

/// Records the event, tells the users it concerns and announces it to the change feed;
/// returns the event's id.
pub async fn record(conn: &mut Db, event: &Event<'_>) -> Result<i64> {
    let id = record_quietly(conn, event).await?;
    conn.announce(NewChange::order(event.order, ChangeKind::of_event(event.kind), event.at));
    notifications::fan_out(conn, id, event).await?;
    Ok(id)
}

/// Records the event without notifying anyone or announcing it: the generated agencies'
/// past, which no one is waiting to hear about.
pub async fn record_quietly(conn: &mut Db, event: &Event<'_>) -> Result<i64> {
    let (id,): (i64,) = Sql::new(
        "INSERT INTO work_order_events (work_order_id, at, actor_id, action, from_state, to_state, note)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(event.order.0)
    .bind(to_secs(event.at))
    .bind(event.actor.map(|user| user.0))
    .bind(event.kind.as_str())
    .bind(event.from.map(State::as_str))
    .bind(event.to.map(State::as_str))
    .bind(event.note)
    .fetch_one(conn)
    .await?;
    Ok(id)
}
