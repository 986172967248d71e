//! The audit trail: every change to an order becomes one event, written inside the
//! caller's transaction so the change and its record stand or fall together.

use crate::error::Result;
use crate::notifications;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::{Action, State, UserId, WorkOrderId};
use sqlx::SqliteConnection;

/// What an event records. Stored by name in `work_order_events.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The request that opened the order (not a lifecycle step).
    Submission,
    Step(Action),
    /// Staff recorded the contractor's payment (the order's state is unchanged).
    Payout,
    /// A party attached files (the order's state is unchanged).
    Attachments,
}

const SUBMITTED: &str = "Submit";
const PAYOUT_RECORDED: &str = "RecordPayout";
const FILES_ATTACHED: &str = "Attach";

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submission => SUBMITTED,
            EventKind::Step(action) => action.as_str(),
            EventKind::Payout => PAYOUT_RECORDED,
            EventKind::Attachments => FILES_ATTACHED,
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            SUBMITTED => Some(EventKind::Submission),
            PAYOUT_RECORDED => Some(EventKind::Payout),
            FILES_ATTACHED => Some(EventKind::Attachments),
            step => Action::parse(step).map(EventKind::Step),
        }
    }

    /// What happened, as the timeline and Recent Activity name it.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Submission => "Submitted",
            EventKind::Step(action) => action.label(),
            EventKind::Payout => "Payout recorded",
            EventKind::Attachments => "Attachments",
        }
    }

    pub fn action(self) -> Option<Action> {
        match self {
            EventKind::Step(action) => Some(action),
            EventKind::Submission | EventKind::Payout | EventKind::Attachments => None,
        }
    }
}

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

/// Records the event and tells the users it concerns; returns the event's id.
pub async fn record(conn: &mut SqliteConnection, event: &Event<'_>) -> Result<i64> {
    let id = record_quietly(conn, event).await?;
    notifications::fan_out(conn, id, event.order, event.kind, event.actor, event.at, event.note).await?;
    Ok(id)
}

/// Records the event without notifying anyone: the generated agencies' past, which
/// no one is waiting to hear about.
pub async fn record_quietly(conn: &mut SqliteConnection, event: &Event<'_>) -> Result<i64> {
    let done = sqlx::query(
        "INSERT INTO work_order_events (work_order_id, at, actor_id, action, from_state, to_state, note)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(event.order.0)
    .bind(to_secs(event.at))
    .bind(event.actor.map(|user| user.0))
    .bind(event.kind.as_str())
    .bind(event.from.map(State::as_str))
    .bind(event.to.map(State::as_str))
    .bind(event.note)
    .execute(&mut *conn)
    .await?;
    Ok(done.last_insert_rowid())
}
