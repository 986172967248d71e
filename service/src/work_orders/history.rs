//! The audit trail: every change to an order becomes one event, written inside the
//! caller's transaction so the change and its record stand or fall together.

use crate::error::Result;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::{Action, State, UserId, WorkOrderId};
use sqlx::SqliteConnection;

/// The `action` stored for the submission that opened an order (not a lifecycle step).
pub const SUBMITTED: &str = "Submit";

pub struct Event<'a> {
    pub order: WorkOrderId,
    pub at: DateTime<Utc>,
    /// `None`: the system (auto-close, reminders).
    pub actor: Option<UserId>,
    /// `None`: the submission.
    pub action: Option<Action>,
    pub from: Option<State>,
    pub to: Option<State>,
    pub note: &'a str,
}

pub async fn record(conn: &mut SqliteConnection, event: &Event<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO work_order_events (work_order_id, at, actor_id, action, from_state, to_state, note)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(event.order.0)
    .bind(to_secs(event.at))
    .bind(event.actor.map(|user| user.0))
    .bind(event.action.map_or(SUBMITTED, Action::as_str))
    .bind(event.from.map(State::as_str))
    .bind(event.to.map(State::as_str))
    .bind(event.note)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
