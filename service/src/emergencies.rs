//! Emergencies that reach a person. An emergency request raises a critical desktop
//! notification for every on-duty staff member (their `on_duty` flag, set on their
//! Account page). If no one responds within the emergency's response target, the engine
//! escalates it again, once: every active staff member, on duty or not, is alerted as
//! critical, and the history says so.

use crate::agency;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::history::{self, Event};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::{Actor, EventKind, Priority, Reference, Role, State, UserId, WorkOrderId};

/// Whose copies of an event's notifications become critical alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alerted {
    OnDutyStaff,
    AllStaff,
}

/// A new emergency, inside its submission's transaction once the submission has told
/// the agency (`event`): the on-duty staff's notifications of it become critical.
pub(crate) async fn raise(db: &mut Db, order: WorkOrderId, event: i64, _now: DateTime<Utc>) -> Result<()> {
    alert(db, order, event, Alerted::OnDutyStaff).await
}

/// Marks the agency's notifications of `event` urgent for those `alerted`, headed
/// "Emergency" so the alert says what it is before it is opened.
async fn alert(db: &mut Db, order: WorkOrderId, event: i64, alerted: Alerted) -> Result<()> {
    let title = format!("Emergency · {}", Reference::of(order));
    let mut sql = Sql::new("UPDATE notifications SET urgent = ");
    sql.push_bind(true)
        .push(", title = ")
        .push_bind(title)
        .push(" WHERE event_id = ")
        .push_bind(event)
        .push(" AND user_id IN (SELECT id FROM users WHERE deactivated_at IS NULL AND role IN (")
        .push_bind_list(Role::ALL.into_iter().filter(|role| role.is_agency()).map(Role::as_str))
        .push(")");
    if alerted == Alerted::OnDutyStaff {
        sql.push(" AND on_duty = ").push_bind(true);
    }
    sql.push(")").execute(db).await?;
    Ok(())
}

/// Emergencies still unanswered past their response target, each escalated once: the
/// background engine's step. Returns how many were.
pub async fn escalate_unanswered(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let due: Vec<(i64, i64)> = Sql::new(
        "SELECT id, respond_by FROM work_orders
         WHERE priority = ? AND responded_at IS NULL AND escalated_at IS NULL AND state = ? AND respond_by <= ?
         ORDER BY respond_by LIMIT 100",
    )
    .bind(Priority::Emergency.as_str())
    .bind(State::New.as_str())
    .bind(to_secs(now))
    .fetch_all(store)
    .await?;
    let mut escalated = 0;
    for (order, respond_by) in due {
        let mut tx = store.write().await?;
        if escalate(&mut tx, WorkOrderId(order), from_secs(respond_by), now).await? {
            tx.commit().await?;
            escalated += 1;
        }
    }
    Ok(escalated)
}

/// Claims the escalation (a guarded update, so two engines escalate it once) and, if
/// this run won it, records it and alerts every staff member.
async fn escalate(tx: &mut Db, order: WorkOrderId, respond_by: DateTime<Utc>, now: DateTime<Utc>) -> Result<bool> {
    let claimed = Sql::new(
        "UPDATE work_orders SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL AND responded_at IS NULL AND state = ?",
    )
    .bind(to_secs(now))
    .bind(order.0)
    .bind(State::New.as_str())
    .execute(&mut *tx)
    .await?;
    if claimed != 1 {
        return Ok(false);
    }
    let due = agency::settings_in(tx).await?.calendar.local(respond_by).format("%H:%M on %-d %b");
    let note =
        format!("No one responded by {due}, the emergency response target: raised again with every staff member");
    let event = Event {
        order,
        at: now,
        actor: None,
        kind: EventKind::Escalation,
        from: Some(State::New),
        to: Some(State::New),
        note: &note,
    };
    let event = history::record(tx, &event).await?;
    alert(tx, order, event, Alerted::AllStaff).await?;
    Ok(true)
}

/// Sets whether the signed-in staff member is on duty: on duty, an emergency raises a
/// critical alert on their desktop the moment it arrives.
pub async fn set_on_duty(store: &Store, actor: Actor, on: bool) -> Result<()> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("only agency staff go on duty for emergencies".into()));
    }
    Sql::new("UPDATE users SET on_duty = ? WHERE id = ?").bind(on).bind(actor.user_id.0).execute(store).await?;
    Ok(())
}

/// Whether `user` is on duty.
pub async fn is_on_duty(store: &Store, user: UserId) -> Result<bool> {
    let (on,): (bool,) = Sql::new("SELECT on_duty FROM users WHERE id = ?").bind(user.0).fetch_one(store).await?;
    Ok(on)
}
