//! In-app notifications: every history event tells the users it concerns (see
//! `domain::notify`), in the same transaction as the event. The shell's watcher reads
//! what is new for the signed-in user, whichever process wrote it. Those who chose this
//! kind of news by e-mail also get it in the outbox, in the same transaction (`mail`).

use crate::changes::NewChange;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::history::{Event, Readings};
use crate::mail;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{MAX_LISTED_NOTIFICATIONS, NotificationItem, Notifications};
use plumbline_domain::mail::topic_of;
use plumbline_domain::notify::{Audience, audience_of, headline};
use plumbline_domain::role::Party;
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{Action, Actor, Reference, Role, UserId, WorkOrderId};

/// Longest note carried into a notification's body.
const NOTE_CHARS: usize = 120;

#[derive(sqlx::FromRow)]
struct OrderFacts {
    landlord: i64,
    tenant: Option<i64>,
    contractor: Option<i64>,
    what: String,
    place: String,
}

async fn order_facts(db: &mut Db, order: WorkOrderId) -> Result<OrderFacts> {
    Sql::new(
        "SELECT p.landlord_id AS landlord, w.tenant_id AS tenant, w.contractor_id AS contractor,
                c.name || ' – ' || s.name AS what, p.street || ', ' || n.label AS place
         FROM work_orders w JOIN properties p ON p.id = w.property_id JOIN units n ON n.id = w.unit_id
              JOIN categories c ON c.id = w.category_id JOIN categories s ON s.id = w.subcategory_id
         WHERE w.id = ?",
    )
    .bind(order.0)
    .fetch_one(db)
    .await
}

/// Each user to tell, with what they are to the order (which decides how they read the note).
async fn recipients(db: &mut Db, facts: &OrderFacts, audience: &[Audience]) -> Result<Vec<(i64, Party)>> {
    let mut users = Vec::new();
    for who in audience {
        match who {
            Audience::Agency => {
                let mut query = Sql::new("SELECT id FROM users WHERE role IN (");
                query.push_bind_list(Role::ALL.into_iter().filter(|role| role.is_agency()).map(Role::as_str)).push(")");
                let staff: Vec<(i64,)> = query.fetch_all(&mut *db).await?;
                users.extend(staff.into_iter().map(|(id,)| (id, Party::Agency)));
            }
            Audience::Landlord => users.push((facts.landlord, Party::OwningLandlord)),
            Audience::Contractor => users.extend(facts.contractor.map(|id| (id, Party::AssignedContractor))),
            Audience::Tenant => users.extend(facts.tenant.map(|id| (id, Party::RequestingTenant))),
        }
    }
    users.sort_unstable_by_key(|(id, _)| *id);
    users.dedup_by_key(|(id, _)| *id);
    Ok(users)
}

/// "Plumbing – Taps · 12 Mill Lane, Flat 2", then the event's note, shortened.
fn body(facts: &OrderFacts, note: &str) -> String {
    let summary = format!("{} · {}", facts.what, facts.place);
    let note = note.trim();
    if note.is_empty() {
        return summary;
    }
    let mut short: String = note.chars().take(NOTE_CHARS).collect();
    if note.chars().count() > NOTE_CHARS {
        short.push('…');
    }
    format!("{summary}\n{short}")
}

/// Tells everyone an event concerns, except whoever caused it; each reads the note as
/// their party may (`Readings`).
pub(crate) async fn fan_out(db: &mut Db, event_id: i64, event: &Event<'_>, readings: &Readings) -> Result<()> {
    let Event { order, kind, actor, at, note, to, .. } = *event;
    let facts = order_facts(db, order).await?;
    let title = format!("{} · {}", headline(kind, to), Reference::of(order));
    // For the contractor, a closed job means their invoice now waits for its payout.
    let closed = matches!(kind.action(), Some(Action::Close | Action::AutoClose));
    let payment_pending = format!("Payment pending · {}", Reference::of(order));
    // E-mail goes out only once the agency has set it up (checked once per event).
    let mailing = mail::enabled(db).await?;
    for (user, party) in recipients(db, &facts, audience_of(kind)).await? {
        if Some(UserId(user)) == actor {
            continue;
        }
        let title = if closed && Some(user) == facts.contractor { &payment_pending } else { &title };
        let body = body(&facts, readings.for_party(party).unwrap_or(note));
        insert(db, user, order, Some(event_id), title, &body, at).await?;
        if mailing {
            mail::queue_for_user(db, UserId(user), topic_of(kind, to, party), title, &body, at).await?;
        }
    }
    Ok(())
}

/// A contractor taken off a job is told, though no longer one of its parties.
pub(crate) async fn tell_removed_contractor(
    db: &mut Db,
    event_id: i64,
    order: WorkOrderId,
    contractor: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    let facts = order_facts(db, order).await?;
    let title = format!("Job reassigned · {}", Reference::of(order));
    let body = body(&facts, "This job was given to another contractor; you no longer need to attend.");
    insert(db, contractor.0, order, Some(event_id), &title, &body, at).await
}

/// An SLA alert: staff and the order's contractor hear that it is at risk or breached.
pub(crate) async fn tell_sla(db: &mut Db, order: WorkOrderId, status: SlaStatus, at: DateTime<Utc>) -> Result<()> {
    let headline = if status == SlaStatus::Breached { "SLA breached" } else { "SLA at risk" };
    tell_without_event(db, order, headline, "", &[Audience::Agency, Audience::Contractor], at).await
}

/// An appointment reminder for the visit's tenant and contractor.
pub(crate) async fn tell_reminder(db: &mut Db, order: WorkOrderId, at: DateTime<Utc>) -> Result<()> {
    let note = "The visit is within the next 24 hours; see the order for the time and access.";
    tell_without_event(db, order, "Appointment reminder", note, &[Audience::Tenant, Audience::Contractor], at).await
}

/// A notification that no history event caused (alerts, reminders).
async fn tell_without_event(
    db: &mut Db,
    order: WorkOrderId,
    headline: &str,
    note: &str,
    audience: &[Audience],
    at: DateTime<Utc>,
) -> Result<()> {
    let facts = order_facts(db, order).await?;
    let title = format!("{headline} · {}", Reference::of(order));
    let body = body(&facts, note);
    for (user, _) in recipients(db, &facts, audience).await? {
        insert(db, user, order, None, &title, &body, at).await?;
    }
    Ok(())
}

/// Tells one user something that concerns no order (a certificate of their property).
pub(crate) async fn tell_user(db: &mut Db, user: UserId, title: &str, body: &str, at: DateTime<Utc>) -> Result<()> {
    insert_row(db, user.0, None, None, title, body, at).await
}

/// Tells a contractor about a quote for an order that is not theirs to open: the work
/// and the place, with no link to the order.
pub(crate) async fn tell_quoting_contractor(
    db: &mut Db,
    contractor: UserId,
    order: WorkOrderId,
    headline: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let facts = order_facts(db, order).await?;
    let title = format!("{headline} · {}", Reference::of(order));
    insert_row(db, contractor.0, None, None, &title, &body(&facts, note), at).await
}

/// Tells staff of a contractor's answer to a quote request.
pub(crate) async fn tell_agency_of_quote(
    db: &mut Db,
    order: WorkOrderId,
    headline: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    tell_without_event(db, order, headline, note, &[Audience::Agency], at).await
}

/// A notification for every active agency account that is about no order (a
/// contractor's insurance running out).
pub(crate) async fn tell_agency(db: &mut Db, title: &str, body: &str, at: DateTime<Utc>) -> Result<()> {
    let mut query = Sql::new("SELECT id FROM users WHERE deactivated_at IS NULL AND role IN (");
    query.push_bind_list(Role::ALL.into_iter().filter(|role| role.is_agency()).map(Role::as_str)).push(")");
    let staff: Vec<(i64,)> = query.fetch_all(&mut *db).await?;
    for (user,) in staff {
        insert_row(db, user, None, None, title, body, at).await?;
    }
    Ok(())
}

async fn insert(
    db: &mut Db,
    user: i64,
    order: WorkOrderId,
    event_id: Option<i64>,
    title: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    insert_row(db, user, Some(order), event_id, title, body, at).await
}

async fn insert_row(
    db: &mut Db,
    user: i64,
    order: Option<WorkOrderId>,
    event_id: Option<i64>,
    title: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    Sql::new(
        "INSERT INTO notifications (user_id, work_order_id, event_id, title, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(user)
    .bind(order.map(|order| order.0))
    .bind(event_id)
    .bind(title)
    .bind(body)
    .bind(to_secs(at))
    .execute(&mut *db)
    .await?;
    db.announce(NewChange::notification(UserId(user), at));
    Ok(())
}

#[derive(sqlx::FromRow)]
struct NotificationRecord {
    id: i64,
    work_order_id: Option<i64>,
    title: String,
    body: String,
    created_at: i64,
    read_at: Option<i64>,
    urgent: bool,
}

impl From<NotificationRecord> for NotificationItem {
    fn from(r: NotificationRecord) -> Self {
        NotificationItem {
            id: r.id,
            order: r.work_order_id.map(WorkOrderId),
            title: r.title,
            body: r.body,
            at: from_secs(r.created_at),
            read: r.read_at.is_some(),
            urgent: r.urgent,
        }
    }
}

const COLUMNS: &str = "SELECT id, work_order_id, title, body, created_at, read_at, urgent FROM notifications";

/// The bell: the newest notifications, how many are unread, and the desktop setting.
pub async fn list(store: &Store, actor: Actor) -> Result<Notifications> {
    let records: Vec<NotificationRecord> = Sql::new(format!("{COLUMNS} WHERE user_id = ? ORDER BY id DESC LIMIT ?"))
        .bind(actor.user_id.0)
        .bind(MAX_LISTED_NOTIFICATIONS)
        .fetch_all(store)
        .await?;
    let (unread,): (i64,) = Sql::new("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL")
        .bind(actor.user_id.0)
        .fetch_one(store)
        .await?;
    Ok(Notifications {
        items: records.into_iter().map(Into::into).collect(),
        unread: u64::try_from(unread).unwrap_or(0),
        desktop: desktop_enabled(store, actor.user_id).await?,
        on_duty: match actor.role.is_agency() {
            true => Some(crate::emergencies::is_on_duty(store, actor.user_id).await?),
            false => None,
        },
    })
}

/// What arrived for `user` after notification `after`, oldest first: the watcher's question.
pub async fn newer_than(store: &Store, user: UserId, after: i64) -> Result<Vec<NotificationItem>> {
    let records: Vec<NotificationRecord> =
        Sql::new(format!("{COLUMNS} WHERE user_id = ? AND id > ? ORDER BY id LIMIT 20"))
            .bind(user.0)
            .bind(after)
            .fetch_all(store)
            .await?;
    Ok(records.into_iter().map(Into::into).collect())
}

/// The newest notification id of `user` from before `at` (0 if none): where the watcher
/// starts when a session begins at `at`.
pub async fn latest_id_before(store: &Store, user: UserId, at: DateTime<Utc>) -> Result<i64> {
    let (latest,): (Option<i64>,) = Sql::new("SELECT max(id) FROM notifications WHERE user_id = ? AND created_at < ?")
        .bind(user.0)
        .bind(to_secs(at))
        .fetch_one(store)
        .await?;
    Ok(latest.unwrap_or(0))
}

/// Marks one of the user's own notifications read; someone else's is not found.
pub async fn mark_read(store: &Store, actor: Actor, now: DateTime<Utc>, id: i64) -> Result<()> {
    let changed = Sql::new("UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ? AND user_id = ?")
        .bind(to_secs(now))
        .bind(id)
        .bind(actor.user_id.0)
        .execute(store)
        .await?;
    if changed == 0 {
        return Err(ServiceError::not_found(format!("notification {id}")));
    }
    Ok(())
}

pub async fn mark_all_read(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<()> {
    Sql::new("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
        .bind(to_secs(now))
        .bind(actor.user_id.0)
        .execute(store)
        .await?;
    Ok(())
}

pub async fn desktop_enabled(store: &Store, user: UserId) -> Result<bool> {
    let (on,): (bool,) = Sql::new("SELECT desktop_notifications FROM users WHERE id = ?")
        .bind(user.0)
        .fetch_optional(store)
        .await?
        .ok_or_else(|| ServiceError::not_found("your user account"))?;
    Ok(on)
}

pub async fn set_desktop(store: &Store, actor: Actor, on: bool) -> Result<()> {
    Sql::new("UPDATE users SET desktop_notifications = ? WHERE id = ?")
        .bind(on)
        .bind(actor.user_id.0)
        .execute(store)
        .await?;
    Ok(())
}
