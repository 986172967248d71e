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
use plumbline_domain::role::Party;
use plumbline_domain::visibility::{Note, READERS};
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

/// How the order's other parties read an event's note where it differs from the whole
/// note (`Event::note`, the agency's): stored beside it, so every reader (timeline, Recent
/// Activity, notifications) takes its party's text without composing it again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings {
    landlord: Option<String>,
    contractor: Option<String>,
    tenant: Option<String>,
}

impl Readings {
    /// The whole note (for `Event::note`) and each party's reading of it.
    pub fn of(note: &Note) -> (String, Readings) {
        let full = note.full();
        let [landlord, contractor, tenant] =
            READERS.map(|party| Some(note.text_for(party)).filter(|text| *text != full));
        (full, Readings { landlord, contractor, tenant })
    }

    /// `party`'s reading, if it is not the whole note.
    pub fn for_party(&self, party: Party) -> Option<&str> {
        match party {
            Party::OwningLandlord => self.landlord.as_deref(),
            Party::AssignedContractor => self.contractor.as_deref(),
            Party::RequestingTenant => self.tenant.as_deref(),
            Party::Agency | Party::System | Party::Unrelated => None,
        }
    }
}

/// The SQL for the note as `party` reads it, over `work_order_events e`. Those who are
/// no party to the order never read its history; they get nothing.
pub fn note_read_by(party: Party) -> &'static str {
    match party {
        Party::Agency => "e.note",
        Party::OwningLandlord => "coalesce(e.landlord_note, e.note)",
        Party::AssignedContractor => "coalesce(e.contractor_note, e.note)",
        Party::RequestingTenant => "coalesce(e.tenant_note, e.note)",
        Party::System | Party::Unrelated => "''",
    }
}

/// Records the event, tells the users it concerns and announces it to the change feed;
/// returns the event's id. Every party reads the note as it is.
pub async fn record(conn: &mut Db, event: &Event<'_>) -> Result<i64> {
    record_read_as(conn, event, &Readings::default()).await
}

/// `record`, for a note some parties read differently (`Readings::of`).
pub async fn record_read_as(conn: &mut Db, event: &Event<'_>, readings: &Readings) -> Result<i64> {
    let id = record_quietly_read_as(conn, event, readings).await?;
    conn.announce(NewChange::order(event.order, ChangeKind::of_event(event.kind), event.at));
    notifications::fan_out(conn, id, event, readings).await?;
    Ok(id)
}

/// Records the event without notifying anyone or announcing it: the generated agencies'
/// past, which no one is waiting to hear about.
pub async fn record_quietly(conn: &mut Db, event: &Event<'_>) -> Result<i64> {
    record_quietly_read_as(conn, event, &Readings::default()).await
}

pub async fn record_quietly_read_as(conn: &mut Db, event: &Event<'_>, readings: &Readings) -> Result<i64> {
    let (id,): (i64,) = Sql::new(
        "INSERT INTO work_order_events (work_order_id, at, actor_id, action, from_state, to_state, note,
             landlord_note, contractor_note, tenant_note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(event.order.0)
    .bind(to_secs(event.at))
    .bind(event.actor.map(|user| user.0))
    .bind(event.kind.as_str())
    .bind(event.from.map(State::as_str))
    .bind(event.to.map(State::as_str))
    .bind(event.note)
    .bind(readings.landlord.as_deref())
    .bind(readings.contractor.as_deref())
    .bind(readings.tenant.as_deref())
    .fetch_one(conn)
    .await?;
    Ok(id)
}
