//! One order as its viewer may see it: request, access, SLA, timeline and the actions
//! the viewer may take now.

use super::access::{party_to_order, push_visible_to};
use super::amounts;
use super::limits;
use super::policy::policy_for;
use super::repeats;
use super::row::{WorkOrderRecord, select_rows};
use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::history;
use crate::money;
use crate::payments;
use crate::planned;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::EventKind;
use plumbline_domain::api::{
    AccessInstructions, TIMELINE_PAGE, TimelineCursor, TimelineEntry, TimelinePage, WorkOrderDetail,
};
use plumbline_domain::lifecycle::allowed_actions;
use plumbline_domain::role::{OrderParties, Party};
use plumbline_domain::stored::UnknownName;
use plumbline_domain::visibility::{CodesOn, Fact};
use plumbline_domain::{Action, Actor, Reference, Role, Severity, State, UserId, WorkOrderId};

#[derive(sqlx::FromRow)]
struct DetailRecord {
    version: i64,
    description: String,
    #[sqlx(try_from = "String")]
    severity: Severity,
    triage_reason: String,
    tenant_id: Option<i64>,
    tenant: Option<String>,
    tenant_phone: Option<String>,
    landlord_id: i64,
    landlord: String,
    street: String,
    city: String,
    postcode: String,
    contractor_id: Option<i64>,
    gate_code: Option<String>,
    lockbox_code: Option<String>,
    pets: String,
    best_contact: String,
    preferred_times: String,
    respond_by: i64,
    resolve_by: i64,
    responded_at: Option<i64>,
    resolved_at: Option<i64>,
    estimate_minor: Option<i64>,
    approved_minor: Option<i64>,
    appointment_start: Option<i64>,
    appointment_end: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EventRecord {
    id: i64,
    at: i64,
    actor: Option<String>,
    actor_role: Option<String>,
    #[sqlx(try_from = "String")]
    action: EventKind,
    from_state: Option<String>,
    to_state: Option<String>,
    note: String,
}

pub async fn detail(store: &Store, actor: Actor, now: DateTime<Utc>, id: WorkOrderId) -> Result<WorkOrderDetail> {
    let not_found = || ServiceError::not_found(format!("Work order {}", Reference::of(id)));
    let mut query = select_rows("");
    query.push(" WHERE w.id = ").push_bind(id.0).push(" AND ");
    push_visible_to(&mut query, actor);
    let row = query.fetch_optional::<WorkOrderRecord>(store).await?.ok_or_else(not_found)?;
    let row = row.into_row_for(now, actor.role);

    let record: DetailRecord = Sql::new(
        "SELECT w.version, w.description, w.severity, w.triage_reason,
                w.tenant_id, t.name AS tenant, t.phone AS tenant_phone,
                p.landlord_id, l.name AS landlord, p.street, p.city, p.postcode, w.contractor_id,
                w.gate_code, w.lockbox_code, w.pets, w.best_contact, w.preferred_times,
                w.respond_by, w.resolve_by, w.responded_at,
                coalesce(w.completed_at, w.closed_at) AS resolved_at, w.estimate_minor, w.approved_minor, w.appointment_start, w.appointment_end
         FROM work_orders w
         JOIN properties p ON p.id = w.property_id
         JOIN users l ON l.id = p.landlord_id
         LEFT JOIN users t ON t.id = w.tenant_id
         WHERE w.id = ?",
    )
    .bind(id.0)
    .fetch_one(store)
    .await?;

    let parties = OrderParties {
        landlord: UserId(record.landlord_id),
        tenant: record.tenant_id.map(UserId),
        contractor: record.contractor_id.map(UserId),
    };
    let party = parties.party_of(actor);
    let codes_visible = party.may_see_access_codes(CodesOn::Order(row.state));
    let budget_visible = party.may_see(Fact::Estimate);
    let payment = payments::payment(store, id, row.state, party).await?;
    let policy = policy_for(&mut store.read().await?, id).await?;
    let mut allowed = allowed_actions(&policy, row.state, party);
    limits::drop_used_up(&mut store.read().await?, id, actor, now, &mut allowed).await?;
    // The completion form names the ceiling before the invoice is sent.
    let invoice_ceiling = if budget_visible && allowed.contains(&Action::Complete) {
        let mut db = store.read().await?;
        Some(amounts::ceiling(&mut db, record.estimate_minor, record.approved_minor).await?.0)
    } else {
        None
    };

    let history = timeline(store, id, party, None).await?;
    let repeat = repeats::repeat_fault(store, actor, id, &row.category).await?;
    let planned = planned::mark_of(&mut store.read().await?, id).await?;

    Ok(WorkOrderDetail {
        allowed_actions: allowed,
        repeat,
        planned,
        viewer: party,
        row,
        version: record.version,
        description: record.description,
        severity: record.severity,
        triage_reason: record.triage_reason,
        tenant: record.tenant,
        tenant_phone: record.tenant_phone,
        landlord: record.landlord,
        address: postal_address(&record.street, &record.city, &record.postcode),
        access: AccessInstructions {
            gate_code: record.gate_code.filter(|_| codes_visible),
            lockbox_code: record.lockbox_code.filter(|_| codes_visible),
            pets: record.pets,
            best_contact: record.best_contact,
            preferred_times: record.preferred_times,
        },
        respond_by: from_secs(record.respond_by),
        resolve_by: from_secs(record.resolve_by),
        responded_at: record.responded_at.map(from_secs),
        resolved_at: record.resolved_at.map(from_secs),
        estimate_minor: record.estimate_minor.filter(|_| budget_visible).map(money::stored).transpose()?,
        approved_minor: record.approved_minor.filter(|_| budget_visible).map(money::stored).transpose()?,
        appointment: record.appointment_start.zip(record.appointment_end).map(|(s, e)| (from_secs(s), from_secs(e))),
        timeline: history.entries,
        earlier_history: history.earlier,
        payment,
        invoice_ceiling,
    })
}

/// A page of the order's history before `before`, for its parties (others: not found).
/// The detail holds the newest page; this reads each earlier one.
pub async fn history(store: &Store, actor: Actor, id: WorkOrderId, before: TimelineCursor) -> Result<TimelinePage> {
    let party = party_to_order(&mut store.read().await?, actor, id).await?;
    timeline(store, id, party, Some(before)).await
}

/// A page of the order's history, its newest `TIMELINE_PAGE` entries before `before` (the
/// newest of all if `None`), oldest first; its payout only for those who may see
/// payments. Read backwards along `events_by_order` (order, time, id): a page costs the
/// same however long the history.
async fn timeline(
    store: &Store,
    id: WorkOrderId,
    party: Party,
    before: Option<TimelineCursor>,
) -> Result<TimelinePage> {
    // Each party reads the note without what is not theirs (`history::Readings`).
    let mut query = Sql::new(format!(
        "SELECT e.id, e.at, u.name AS actor, u.role AS actor_role, e.action, e.from_state, e.to_state, {} AS note
         FROM work_order_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.work_order_id = ? AND (? OR e.action <> ?)",
        history::note_read_by(party)
    ))
    .bind(id.0)
    .bind(party.may_see_payment())
    .bind(EventKind::Payout.as_str());
    if let Some(before) = before {
        let at = to_secs(before.at);
        query.push(" AND (e.at < ").push_bind(at).push(" OR (e.at = ").push_bind(at);
        query.push(" AND e.id < ").push_bind(before.event).push("))");
    }
    // One more than a page: whether there is an earlier one.
    let limit = i64::try_from(TIMELINE_PAGE).unwrap_or(i64::MAX).saturating_add(1);
    query.push(" ORDER BY e.at DESC, e.id DESC LIMIT ").push_bind(limit);
    let mut events: Vec<EventRecord> = query.fetch_all(store).await?;
    let more = events.len() > TIMELINE_PAGE;
    events.truncate(TIMELINE_PAGE);
    events.reverse();
    let earlier =
        events.first().filter(|_| more).map(|event| TimelineCursor { at: from_secs(event.at), event: event.id });
    let entries = events.into_iter().map(EventRecord::into_entry).collect::<Result<_>>()?;
    Ok(TimelinePage { entries, earlier })
}

impl EventRecord {
    fn into_entry(self) -> Result<TimelineEntry> {
        Ok(TimelineEntry {
            at: from_secs(self.at),
            what: self.action.label().to_owned(),
            actor: self.actor.unwrap_or_else(|| "Plumbline".to_owned()),
            actor_role: self.actor_role.map(Role::try_from).transpose().map_err(unknown)?,
            action: self.action.action(),
            from: self.from_state.map(State::try_from).transpose().map_err(unknown)?,
            to: self.to_state.map(State::try_from).transpose().map_err(unknown)?,
            note: self.note,
        })
    }
}

/// A stored name none of the domain's: the store is corrupt or newer than this build.
fn unknown(err: UnknownName) -> ServiceError {
    ServiceError::Internal(err.into())
}

/// "116 Harbour Walk, Bristol BS1 4QA": the whole address, for finding the door.
fn postal_address(street: &str, city: &str, postcode: &str) -> String {
    let town =
        [city, postcode].iter().map(|part| part.trim()).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ");
    [street.trim(), town.as_str()].iter().filter(|part| !part.is_empty()).copied().collect::<Vec<_>>().join(", ")
}
