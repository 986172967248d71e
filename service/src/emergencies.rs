//! Emergencies that reach a person. An emergency request raises a critical desktop
//! notification for every on-duty staff member (their `on_duty` flag, set from the
//! bell); raised outside working hours it is also e-mailed to the agency's escalation
//! address. If no one responds within the emergency's response target, the engine
//! escalates it again, once: every active staff member, on duty or not, is alerted as
//! critical, the escalation address is e-mailed whatever the hour, and the history says so.

use crate::agency::{self, AgencySettings};
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::history::{self, Event};
use crate::mail;
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
pub(crate) async fn raise(db: &mut Db, order: WorkOrderId, event: i64, now: DateTime<Utc>) -> Result<()> {
    alert(db, order, event, Alerted::OnDutyStaff).await?;
    let settings = agency::settings_in(db).await?;
    if !settings.calendar.is_working_time(now) {
        let why = "An emergency was reported out of hours and needs someone now.";
        mail_escalation_contact(db, &settings, order, "Emergency out of hours", why, now).await?;
    }
    Ok(())
}

/// What the escalation address is told of an emergency, with what is needed to act on
/// it without opening Plumbline: the place, the tenant and their number, their words.
#[derive(sqlx::FromRow)]
struct EmergencyFacts {
    description: String,
    work: String,
    place: String,
    tenant: Option<String>,
    phone: Option<String>,
    opened_at: i64,
    respond_by: i64,
}

/// E-mails the agency's escalation address about `order`, in the caller's transaction
/// (the outbox sends it), if the agency has one and has set up e-mail.
/// Returns the address it was queued for, if it was.
async fn mail_escalation_contact(
    db: &mut Db,
    settings: &AgencySettings,
    order: WorkOrderId,
    headline: &str,
    why: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let Some(to) = settings.escalation_email.clone() else { return Ok(None) };
    // Checked when saved; an address stored before that check must not refuse the emergency.
    if !mail::enabled(db).await? || !plumbline_domain::mail::looks_like_address(&to) {
        return Ok(None);
    }
    let facts: EmergencyFacts = Sql::new(
        "SELECT w.description, c.name || ' – ' || s.name AS work,
                p.street || ', ' || p.city || ' ' || p.postcode || ', ' || n.label AS place,
                t.name AS tenant, t.phone, w.opened_at, w.respond_by
         FROM work_orders w JOIN properties p ON p.id = w.property_id JOIN units n ON n.id = w.unit_id
              JOIN categories c ON c.id = w.category_id JOIN categories s ON s.id = w.subcategory_id
              LEFT JOIN users t ON t.id = w.tenant_id
         WHERE w.id = ?",
    )
    .bind(order.0)
    .fetch_one(&mut *db)
    .await?;
    let at = |secs: i64| settings.calendar.local(from_secs(secs)).format("%H:%M on %-d %b").to_string();
    let reference = Reference::of(order);
    let subject = format!("{headline} · {reference} · {}", facts.place);
    let tenant = match (facts.tenant, facts.phone) {
        (Some(name), Some(phone)) => format!("{name}, {phone}"),
        (Some(name), None) => name,
        (None, _) => "no tenant named".to_owned(),
    };
    let body = format!(
        "{why}\n\n{reference}: {}\nWhere: {}\nTenant: {tenant}\nReported: {}\nRespond by: {}\n\n\
         What the tenant says:\n{}\n\nOpen {reference} in Plumbline to assign a contractor.\n",
        facts.work,
        facts.place,
        at(facts.opened_at),
        at(facts.respond_by),
        facts.description,
    );
    mail::queue(db, &to, &subject, &body, now).await?;
    Ok(Some(to))
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
    let settings = agency::settings_in(tx).await?;
    let due = settings.calendar.local(respond_by).format("%H:%M on %-d %b").to_string();
    let why = format!("No one has responded to this emergency by {due}, its response target.");
    let mailed = mail_escalation_contact(tx, &settings, order, "Emergency still unanswered", &why, now).await?;
    let mut note =
        format!("No one responded by {due}, the emergency response target: raised again with every staff member");
    if let Some(to) = mailed {
        note.push_str(&format!(" and e-mailed to {to}"));
    }
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
