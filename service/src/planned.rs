//! Planned maintenance: staff keep schedules per property or unit (`domain::planned`),
//! and the background engine raises each occurrence's work order its lead days ahead.
//! A raised order is an ordinary one (triage, SLA clocks, the whole lifecycle) marked as
//! planned: `work_orders.schedule_id` and the occurrence's day in `planned_for`.
//!
//! Each occurrence is raised once: the engine claims it by moving the schedule's
//! `next_index` on with a guarded update in the order's own transaction, and a unique
//! index on (`schedule_id`, `planned_for`) backs that up across desktops and servers.

use crate::agency::{self, AgencySettings};
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::input::{self, MAX_LINE_CHARS};
use crate::properties::{self, require_agency};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::work_orders::{self, Booked};
use chrono::{DateTime, NaiveDate, Utc};
use plumbline_domain::api::{
    Field, ListSchedules, MAX_DESCRIPTION_CHARS, PlannedMark, PlannedOrder, ScheduleDetail, ScheduleEntry,
    ScheduleInput, ScheduleSummary,
};
use plumbline_domain::dates;
use plumbline_domain::ids::{PropertyId, ScheduleId};
use plumbline_domain::planned::{self, MAX_LEAD_DAYS, Recurrence, RecurrenceProblem};
use plumbline_domain::{Actor, State, UserId, WorkOrderId};

/// The columns a summary is read from.
const SUMMARY_COLUMNS: &str = "SELECT s.id, s.property_id, p.name AS property_name, n.label AS unit_label, s.title,
        c.name || ' – ' || sub.name AS category, s.every_months, s.first_due, s.on_dates, s.lead_days,
        s.next_due, s.paused_at,
        (SELECT count(*) FROM work_orders w WHERE w.schedule_id = s.id) AS orders_raised
    FROM maintenance_schedules s
    JOIN properties p ON p.id = s.property_id
    LEFT JOIN units n ON n.id = s.unit_id
    JOIN categories sub ON sub.id = s.subcategory_id
    JOIN categories c ON c.id = sub.parent_id";

#[derive(sqlx::FromRow)]
struct SummaryRecord {
    id: i64,
    property_id: i64,
    property_name: String,
    unit_label: Option<String>,
    title: String,
    category: String,
    every_months: Option<i64>,
    first_due: Option<String>,
    on_dates: Option<String>,
    lead_days: i64,
    next_due: Option<String>,
    paused_at: Option<i64>,
    orders_raised: i64,
}

impl SummaryRecord {
    fn recurrence(&self) -> Result<Recurrence> {
        stored_recurrence(self.every_months, self.first_due.as_deref(), self.on_dates.as_deref())
    }

    fn into_summary(self) -> Result<ScheduleSummary> {
        let recurrence = self.recurrence()?;
        let lead_days = u32::try_from(self.lead_days).map_err(|_| stored("lead_days", &self.lead_days))?;
        let next_due = self.next_due.as_deref().map(parse_day).transpose()?;
        Ok(ScheduleSummary {
            id: ScheduleId(self.id),
            property: PropertyId(self.property_id),
            property_name: self.property_name,
            unit: self.unit_label,
            title: self.title,
            category: self.category,
            recurrence_text: recurrence.describe(),
            recurrence,
            lead_days,
            raise_on: next_due.map(|day| planned::raise_on(day, lead_days)),
            next_due,
            paused: self.paused_at.is_some(),
            orders_raised: self.orders_raised,
        })
    }
}

fn stored(column: &str, value: &dyn std::fmt::Debug) -> ServiceError {
    ServiceError::Internal(anyhow::anyhow!("maintenance_schedules.{column} holds {value:?}"))
}

fn parse_day(text: &str) -> Result<NaiveDate> {
    text.parse().map_err(|_| stored("a day", &text))
}

/// The recurrence as stored: every N months from a day, or a list of days.
fn stored_recurrence(every: Option<i64>, first: Option<&str>, dates: Option<&str>) -> Result<Recurrence> {
    match (every, first, dates) {
        (Some(months), Some(first), None) => Ok(Recurrence::Every {
            months: u32::try_from(months).map_err(|_| stored("every_months", &months))?,
            first: parse_day(first)?,
        }),
        (None, None, Some(dates)) => Ok(Recurrence::OnDates(dates.split(',').map(parse_day).collect::<Result<_>>()?)),
        _ => Err(stored("recurrence", &(every, first, dates))),
    }
}

/// The schedules, soonest due first (those with none left last).
pub async fn list(store: &Store, actor: Actor, request: &ListSchedules) -> Result<Vec<ScheduleSummary>> {
    require_agency(actor)?;
    let mut sql = Sql::new(SUMMARY_COLUMNS);
    sql.push(" WHERE 1 = 1");
    if let Some(property) = request.property {
        sql.push(" AND s.property_id = ").push_bind(property.0);
    }
    if !request.paused {
        sql.push(" AND s.paused_at IS NULL");
    }
    sql.push(" ORDER BY s.next_due IS NULL, s.next_due, s.id");
    let records: Vec<SummaryRecord> = sql.fetch_all(store).await?;
    records.into_iter().map(SummaryRecord::into_summary).collect()
}

pub async fn detail(store: &Store, actor: Actor, id: ScheduleId) -> Result<ScheduleDetail> {
    require_agency(actor)?;
    let mut db = store.read().await?;
    detail_in(&mut db, id).await
}

async fn detail_in(db: &mut Db, id: ScheduleId) -> Result<ScheduleDetail> {
    let summary = summary_in(db, id).await?;
    let (description,): (String,) =
        Sql::new("SELECT description FROM maintenance_schedules WHERE id = ?").bind(id.0).fetch_one(&mut *db).await?;
    let entries: Vec<(i64, Option<i64>, Option<String>, String)> = Sql::new(
        "SELECT e.at, e.actor_id, u.name, e.note FROM schedule_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.schedule_id = ? ORDER BY e.at DESC, e.id DESC",
    )
    .bind(id.0)
    .fetch_all(&mut *db)
    .await?;
    let orders: Vec<(i64, String, String)> = Sql::new(
        "SELECT id, planned_for, state FROM work_orders WHERE schedule_id = ? ORDER BY planned_for DESC, id DESC",
    )
    .bind(id.0)
    .fetch_all(&mut *db)
    .await?;
    Ok(ScheduleDetail {
        summary,
        description,
        history: entries
            .into_iter()
            .map(|(at, by_id, by, note)| ScheduleEntry { at: from_secs(at), by, by_id: by_id.map(UserId), note })
            .collect(),
        orders: orders
            .into_iter()
            .map(|(id, day, state)| {
                Ok(PlannedOrder {
                    id: WorkOrderId(id),
                    planned_for: parse_day(&day)?,
                    state: State::parse(&state).ok_or_else(|| stored("an order's state", &state))?,
                })
            })
            .collect::<Result<_>>()?,
    })
}

async fn summary_in(db: &mut Db, id: ScheduleId) -> Result<ScheduleSummary> {
    let mut sql = Sql::new(SUMMARY_COLUMNS);
    sql.push(" WHERE s.id = ").push_bind(id.0);
    let record: Option<SummaryRecord> = sql.fetch_optional(&mut *db).await?;
    record.ok_or_else(|| ServiceError::not_found(format!("Schedule {}", id.0)))?.into_summary()
}

/// A schedule's fields, checked.
struct CheckedSchedule {
    title: String,
    description: String,
    recurrence: Recurrence,
    lead_days: u32,
}

fn check(input: &ScheduleInput, today: NaiveDate) -> Result<CheckedSchedule> {
    let title = input::required(Field::Title, "schedule's name", &input.title, MAX_LINE_CHARS)?;
    let description = input::required(Field::Description, "work to do", &input.description, MAX_DESCRIPTION_CHARS)?;
    let recurrence = input.recurrence.clone().normalised();
    if let Some(problem) = recurrence.problems(today).into_iter().next() {
        return Err(match problem {
            RecurrenceProblem::Every(why) => ServiceError::validation(Field::Every, why),
            RecurrenceProblem::FirstDue(why) => ServiceError::validation(Field::FirstDue, why),
            RecurrenceProblem::Dates(why) => ServiceError::validation(Field::Dates, why),
        });
    }
    if input.lead_days > MAX_LEAD_DAYS {
        let why = format!("raise orders at most {MAX_LEAD_DAYS} days ahead");
        return Err(ServiceError::validation(Field::LeadDays, why));
    }
    Ok(CheckedSchedule { title, description, recurrence, lead_days: input.lead_days })
}

/// The property must be managed and the unit (if one) its own; a sub-category (not a
/// top-level category) must be chosen.
async fn check_target(db: &mut Db, input: &ScheduleInput) -> Result<()> {
    properties::check_managed(db, input.property).await?;
    let units: Vec<(i64,)> =
        Sql::new("SELECT id FROM units WHERE property_id = ?").bind(input.property.0).fetch_all(&mut *db).await?;
    match input.unit {
        None if units.is_empty() => {
            return Err(ServiceError::validation(Field::Unit, "add a unit to this property first"));
        }
        Some(unit) if !units.contains(&(unit.0,)) => {
            return Err(ServiceError::validation(Field::Unit, "that unit is not at this property"));
        }
        _ => {}
    }
    let parent: Option<(Option<i64>,)> = Sql::new("SELECT parent_id FROM categories WHERE id = ?")
        .bind(input.subcategory.0)
        .fetch_optional(&mut *db)
        .await?;
    match parent {
        Some((Some(_),)) => Ok(()),
        _ => Err(ServiceError::validation(Field::Subcategory, "pick the kind of work from the list")),
    }
}

/// Makes a schedule; an occurrence already within its lead is raised at once.
pub async fn add(store: &Store, actor: Actor, now: DateTime<Utc>, input: &ScheduleInput) -> Result<ScheduleDetail> {
    require_agency(actor)?;
    let mut tx = store.write().await?;
    let settings = agency::settings_in(&mut tx).await?;
    let id = add_in(&mut tx, &settings, actor.user_id, now, input).await?;
    let detail = detail_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(detail)
}

async fn add_in(
    tx: &mut Db,
    settings: &AgencySettings,
    by: UserId,
    now: DateTime<Utc>,
    input: &ScheduleInput,
) -> Result<ScheduleId> {
    let checked = check(input, settings.calendar.local_date(now))?;
    check_target(tx, input).await?;
    let (every, first, dates) = match &checked.recurrence {
        Recurrence::Every { months, first } => (Some(i64::from(*months)), Some(first.to_string()), None),
        Recurrence::OnDates(dates) => {
            (None, None, Some(dates.iter().map(NaiveDate::to_string).collect::<Vec<_>>().join(",")))
        }
    };
    let (id,): (i64,) = Sql::new(
        "INSERT INTO maintenance_schedules (property_id, unit_id, subcategory_id, title, description, every_months,
             first_due, on_dates, lead_days, next_index, next_due, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
    )
    .bind(input.property.0)
    .bind(input.unit.map(|unit| unit.0))
    .bind(input.subcategory.0)
    .bind(&checked.title)
    .bind(&checked.description)
    .bind(every)
    .bind(first)
    .bind(dates)
    .bind(checked.lead_days)
    .bind(checked.recurrence.occurrence(0).map(|day| day.to_string()))
    .bind(by.0)
    .bind(to_secs(now))
    .fetch_one(&mut *tx)
    .await?;
    let id = ScheduleId(id);
    let note = format!(
        "Schedule made: {}, each order raised {} ahead",
        checked.recurrence.describe(),
        days(checked.lead_days)
    );
    note_on(tx, id, now, Some(by), &note).await?;
    raise_in(tx, settings, id, now).await?;
    Ok(id)
}

/// The demo agency's schedules: yearly boiler services on a few let homes, gutters on a
/// block twice a year, alarms tested yearly; each first due weeks ahead, beyond its lead,
/// so the demo starts with work coming rather than raised.
pub(crate) async fn seed_demo(tx: &mut Db, now: DateTime<Utc>) -> Result<()> {
    let settings = agency::settings_in(tx).await?;
    let today = settings.calendar.local_date(now);
    let (staff,): (i64,) = Sql::new("SELECT min(id) FROM users WHERE role = 'staff'").fetch_one(&mut *tx).await?;
    let homes: Vec<(i64, i64)> = Sql::new(
        "SELECT u.property_id, u.id FROM units u JOIN tenancies t ON t.unit_id = u.id
         WHERE t.ended_on IS NULL ORDER BY u.property_id, u.id LIMIT 4",
    )
    .fetch_all(&mut *tx)
    .await?;
    let kind =
        |name: &'static str| Sql::new("SELECT id FROM categories WHERE name = ? AND parent_id IS NOT NULL").bind(name);
    let (boiler,): (i64,) = kind("Boiler").fetch_one(&mut *tx).await?;
    let (roof,): (i64,) = kind("Roof and walls").fetch_one(&mut *tx).await?;
    let (alarms,): (i64,) = kind("Smoke and CO detectors").fetch_one(&mut *tx).await?;
    let ahead = |days: u64| today + chrono::Days::new(days);
    let mut plans = Vec::new();
    for (n, (property, unit)) in (0_u64..).zip(&homes) {
        plans.push(ScheduleInput {
            property: PropertyId(*property),
            unit: Some(plumbline_domain::ids::UnitId(*unit)),
            subcategory: plumbline_domain::ids::CategoryId(boiler),
            title: "Annual boiler service".into(),
            description: "Service the boiler and check its safety; leave the gas safety record with the tenant.".into(),
            recurrence: Recurrence::Every { months: 12, first: ahead(24 + 19 * n) },
            lead_days: 14,
        });
    }
    if let Some((property, unit)) = homes.first() {
        plans.push(ScheduleInput {
            property: PropertyId(*property),
            unit: None,
            subcategory: plumbline_domain::ids::CategoryId(roof),
            title: "Clear gutters and downpipes".into(),
            description: "Clear leaves from the gutters and downpipes and check the roof for slipped tiles.".into(),
            recurrence: Recurrence::OnDates(vec![ahead(45), ahead(45 + 182)]),
            lead_days: 21,
        });
        plans.push(ScheduleInput {
            property: PropertyId(*property),
            unit: Some(plumbline_domain::ids::UnitId(*unit)),
            subcategory: plumbline_domain::ids::CategoryId(alarms),
            title: "Smoke and CO alarm test".into(),
            description: "Test every smoke and carbon monoxide alarm and replace any past its date.".into(),
            recurrence: Recurrence::Every { months: 12, first: ahead(70) },
            lead_days: 7,
        });
    }
    for plan in &plans {
        add_in(tx, &settings, UserId(staff), now, plan).await?;
    }
    Ok(())
}

/// Pauses a schedule (it raises nothing) or resumes it: what fell while it was paused is
/// skipped, and said so in its history.
pub async fn set_paused(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    id: ScheduleId,
    paused: bool,
) -> Result<ScheduleDetail> {
    require_agency(actor)?;
    let mut tx = store.write().await?;
    let summary = summary_in(&mut tx, id).await?;
    if summary.paused == paused {
        return detail_in(&mut tx, id).await;
    }
    if paused {
        Sql::new("UPDATE maintenance_schedules SET paused_at = ? WHERE id = ?")
            .bind(to_secs(now))
            .bind(id.0)
            .execute(&mut tx)
            .await?;
        note_on(&mut tx, id, now, Some(actor.user_id), "Paused: no orders are raised until it is resumed").await?;
    } else {
        let settings = agency::settings_in(&mut tx).await?;
        let today = settings.calendar.local_date(now);
        resume(&mut tx, id, now, actor.user_id, &summary.recurrence, today).await?;
        raise_in(&mut tx, &settings, id, now).await?;
    }
    let detail = detail_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(detail)
}

async fn resume(
    tx: &mut Db,
    id: ScheduleId,
    now: DateTime<Utc>,
    by: UserId,
    recurrence: &Recurrence,
    today: NaiveDate,
) -> Result<()> {
    let (next,): (i64,) =
        Sql::new("SELECT next_index FROM maintenance_schedules WHERE id = ?").bind(id.0).fetch_one(&mut *tx).await?;
    let next = u32::try_from(next).map_err(|_| stored("next_index", &next))?;
    let resumed_at = recurrence.first_from(next, today);
    Sql::new("UPDATE maintenance_schedules SET paused_at = NULL, next_index = ?, next_due = ? WHERE id = ?")
        .bind(resumed_at)
        .bind(recurrence.occurrence(resumed_at).map(|day| day.to_string()))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let skipped: Vec<String> =
        (next..resumed_at).filter_map(|index| recurrence.occurrence(index)).map(dates::day).collect();
    let note = if skipped.is_empty() {
        "Resumed".to_owned()
    } else {
        format!("Resumed; skipped what fell while it was paused: {}", skipped.join(", "))
    };
    note_on(tx, id, now, Some(by), &note).await
}

async fn note_on(db: &mut Db, id: ScheduleId, at: DateTime<Utc>, by: Option<UserId>, note: &str) -> Result<()> {
    Sql::new("INSERT INTO schedule_events (schedule_id, at, actor_id, note) VALUES (?, ?, ?, ?)")
        .bind(id.0)
        .bind(to_secs(at))
        .bind(by.map(|user| user.0))
        .bind(note)
        .execute(db)
        .await?;
    Ok(())
}

/// The background engine's part: raises every running schedule's occurrences whose lead
/// day has come; the number of orders raised.
pub async fn raise_due(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let mut db = store.read().await?;
    let settings = agency::settings_in(&mut db).await?;
    let today = settings.calendar.local_date(now);
    // No order is raised further ahead than the longest lead: a range on the index.
    let horizon = today + chrono::Days::new(MAX_LEAD_DAYS.into());
    let candidates: Vec<(i64, String, i64)> = Sql::new(
        "SELECT id, next_due, lead_days FROM maintenance_schedules
         WHERE paused_at IS NULL AND next_due IS NOT NULL AND next_due <= ? ORDER BY next_due, id",
    )
    .bind(horizon.to_string())
    .fetch_all(&mut db)
    .await?;
    drop(db);
    // Only a schedule whose raise day has come takes the write lock: the engine runs every
    // minute, and most schedules within the horizon are not due yet.
    let mut due = Vec::new();
    for (id, next_due, lead_days) in candidates {
        let lead_days = u32::try_from(lead_days).map_err(|_| stored("lead_days", &lead_days))?;
        if planned::raise_on(parse_day(&next_due)?, lead_days) <= today {
            due.push(id);
        }
    }
    let mut raised = 0;
    for id in due {
        let mut tx = store.write().await?;
        raised += raise_in(&mut tx, &settings, ScheduleId(id), now).await?;
        tx.commit().await?;
    }
    Ok(raised)
}

#[derive(sqlx::FromRow)]
struct RaiseRecord {
    property_id: i64,
    unit_id: Option<i64>,
    subcategory_id: i64,
    category: String,
    title: String,
    description: String,
    every_months: Option<i64>,
    first_due: Option<String>,
    on_dates: Option<String>,
    lead_days: i64,
    next_index: i64,
    paused_at: Option<i64>,
    created_by: i64,
}

/// Raises the schedule's due occurrences inside `tx`: the number raised.
async fn raise_in(tx: &mut Db, settings: &AgencySettings, id: ScheduleId, now: DateTime<Utc>) -> Result<usize> {
    let record: RaiseRecord = Sql::new(
        "SELECT s.property_id, s.unit_id, s.subcategory_id, c.name AS category, s.title, s.description, s.every_months,
                s.first_due, s.on_dates, s.lead_days, s.next_index, s.paused_at, s.created_by
         FROM maintenance_schedules s JOIN categories sub ON sub.id = s.subcategory_id
         JOIN categories c ON c.id = sub.parent_id WHERE s.id = ?",
    )
    .bind(id.0)
    .fetch_one(&mut *tx)
    .await?;
    if record.paused_at.is_some() {
        return Ok(0);
    }
    let recurrence = stored_recurrence(record.every_months, record.first_due.as_deref(), record.on_dates.as_deref())?;
    let next = u32::try_from(record.next_index).map_err(|_| stored("next_index", &record.next_index))?;
    let lead_days = u32::try_from(record.lead_days).map_err(|_| stored("lead_days", &record.lead_days))?;
    let due = planned::due(&recurrence, next, lead_days, settings.calendar.local_date(now));
    let Some(&(last, _)) = due.last() else { return Ok(0) };
    // The claim: whoever moves `next_index` on raises these; anyone else finds it moved.
    let claimed = Sql::new(
        "UPDATE maintenance_schedules SET next_index = ?, next_due = ? WHERE id = ? AND next_index = ? AND paused_at IS NULL",
    )
    .bind(last + 1)
    .bind(recurrence.occurrence(last + 1).map(|day| day.to_string()))
    .bind(id.0)
    .bind(record.next_index)
    .execute(&mut *tx)
    .await?;
    if claimed == 0 {
        return Ok(0);
    }
    for (_, day) in &due {
        let job = Booked {
            property: record.property_id,
            unit: record.unit_id,
            subcategory: record.subcategory_id,
            raised_by: record.created_by,
            description: format!("{}: {}", record.title, record.description),
            why: format!("Planned maintenance ({}), due {}", record.title, dates::day(*day)),
            note: format!(
                "Planned maintenance raised: {} – {}, due {}",
                record.category,
                record.title,
                dates::day(*day)
            ),
            day: *day,
            schedule: Some(id),
        };
        let order = work_orders::book(tx, settings, &job, now).await?;
        let note = format!("Raised {} for {}", plumbline_domain::Reference::of(order), dates::day(*day));
        note_on(tx, id, now, None, &note).await?;
    }
    Ok(due.len())
}

/// The planned mark of an order, if a schedule raised it.
pub(crate) async fn mark_of(db: &mut Db, order: WorkOrderId) -> Result<Option<PlannedMark>> {
    let found: Option<(i64, String, String)> = Sql::new(
        "SELECT s.id, s.title, w.planned_for FROM work_orders w JOIN maintenance_schedules s ON s.id = w.schedule_id
         WHERE w.id = ?",
    )
    .bind(order.0)
    .fetch_optional(db)
    .await?;
    found
        .map(|(id, title, day)| Ok(PlannedMark { schedule: ScheduleId(id), title, planned_for: parse_day(&day)? }))
        .transpose()
}

/// "1 day", "14 days".
fn days(n: u32) -> String {
    if n == 1 { "1 day".to_owned() } else { format!("{n} days") }
}
