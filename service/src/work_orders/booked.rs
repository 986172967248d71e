//! Work the agency books ahead rather than a tenant reports: a planned-maintenance visit
//! or a certificate's renewal. Routine (planned work, not a fault), on the chosen unit
//! with its tenant today (told, and their access instructions carried over), or on the
//! property's first unit with no tenant when it is for the whole property; to be done by
//! its day unless the SLA gives longer.

use crate::agency::AgencySettings;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::history::{self, Event};
use crate::time::to_secs;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use plumbline_domain::ids::ScheduleId;
use plumbline_domain::{EventKind, Priority, Severity, State, WorkOrderId, sla};

/// One job to book.
pub(crate) struct Booked {
    pub property: i64,
    /// `None`: the whole property.
    pub unit: Option<i64>,
    pub subcategory: i64,
    /// Who the order is raised in the name of (the schedule's maker, the certificate's recorder).
    pub raised_by: i64,
    pub description: String,
    /// Why it exists, in place of triage's reason.
    pub why: String,
    /// Its first history entry.
    pub note: String,
    /// The day it is for.
    pub day: NaiveDate,
    /// The schedule it is an occurrence of, if any.
    pub schedule: Option<ScheduleId>,
}

#[derive(sqlx::FromRow)]
struct OccupiedBy {
    id: i64,
    tenant_id: i64,
    gate_code: Option<String>,
    lockbox_code: Option<String>,
    pets: String,
    best_contact: String,
    preferred_times: String,
}

/// Raises the order inside `tx`, its history and notifications with it.
pub(crate) async fn book(
    tx: &mut Db,
    settings: &AgencySettings,
    job: &Booked,
    now: DateTime<Utc>,
) -> Result<WorkOrderId> {
    let unit = match job.unit {
        Some(unit) => unit,
        None => {
            let (first,): (i64,) = Sql::new("SELECT min(id) FROM units WHERE property_id = ?")
                .bind(job.property)
                .fetch_one(&mut *tx)
                .await?;
            first
        }
    };
    let occupied = match job.unit {
        None => None,
        Some(unit) => occupant(tx, unit, settings.calendar.local_date(now)).await?,
    };
    let priority = Priority::Routine;
    let due = sla::due_times(now, priority, &settings.sla, &settings.calendar);
    let end_of_day =
        settings.calendar.to_utc(job.day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()));
    // Only a schedule's occurrence is marked as planned (and unique per day).
    let (schedule, planned_for) = match job.schedule {
        Some(schedule) => (Some(schedule.0), Some(job.day.to_string())),
        None => (None, None),
    };
    let (id,): (i64,) = Sql::new(
        "INSERT INTO work_orders (unit_id, property_id, tenancy_id, tenant_id, raised_by, category_id, subcategory_id,
             severity, priority, priority_rank, triage_reason, description, gate_code, lockbox_code, pets, best_contact,
             preferred_times, state, opened_at, respond_by, resolve_by, updated_at, schedule_id, planned_for)
         VALUES (?, ?, ?, ?, ?, (SELECT parent_id FROM categories WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                 ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(unit)
    .bind(job.property)
    .bind(occupied.as_ref().map(|t| t.id))
    .bind(occupied.as_ref().map(|t| t.tenant_id))
    .bind(job.raised_by)
    .bind(job.subcategory)
    .bind(job.subcategory)
    .bind(Severity::Routine.as_str())
    .bind(priority.as_str())
    .bind(priority.rank())
    .bind(&job.why)
    .bind(&job.description)
    .bind(occupied.as_ref().and_then(|t| t.gate_code.clone()))
    .bind(occupied.as_ref().and_then(|t| t.lockbox_code.clone()))
    .bind(occupied.as_ref().map(|t| t.pets.clone()).unwrap_or_default())
    .bind(occupied.as_ref().map(|t| t.best_contact.clone()).unwrap_or_default())
    .bind(occupied.as_ref().map(|t| t.preferred_times.clone()).unwrap_or_default())
    .bind(State::New.as_str())
    .bind(to_secs(now))
    .bind(to_secs(due.respond_by))
    .bind(to_secs(due.resolve_by.max(end_of_day)))
    .bind(to_secs(now))
    .bind(schedule)
    .bind(planned_for)
    .fetch_one(&mut *tx)
    .await?;
    let id = WorkOrderId(id);
    let event = Event {
        order: id,
        at: now,
        actor: None,
        kind: EventKind::Submission,
        from: None,
        to: Some(State::New),
        note: &job.note,
    };
    history::record(tx, &event).await?;
    Ok(id)
}

/// The unit's tenancy today, if it is let.
async fn occupant(tx: &mut Db, unit: i64, today: NaiveDate) -> Result<Option<OccupiedBy>> {
    let today = today.to_string();
    Sql::new(
        "SELECT id, tenant_id, gate_code, lockbox_code, pets, best_contact, preferred_times FROM tenancies
         WHERE unit_id = ? AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)
         ORDER BY started_on DESC, id DESC LIMIT 1",
    )
    .bind(unit)
    .bind(&today)
    .bind(&today)
    .fetch_optional(tx)
    .await
}
