//! Planned maintenance (`crate::planned`): the schedules staff keep per property or unit,
//! and what each has raised.

use crate::ids::{CategoryId, PropertyId, ScheduleId, UnitId, UserId, WorkOrderId};
use crate::lifecycle::State;
use crate::planned::Recurrence;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What staff type for a new schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    pub property: PropertyId,
    /// One unit, or `None` for the whole property (its orders name no tenant).
    pub unit: Option<UnitId>,
    pub subcategory: CategoryId,
    /// "Annual boiler service": the schedule's name and its orders' first words.
    pub title: String,
    /// What the contractor is to do, copied onto each order.
    pub description: String,
    pub recurrence: Recurrence,
    /// How many days before each occurrence its order is raised.
    pub lead_days: u32,
}

/// Which schedules to list: one property's, or the agency's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSchedules {
    pub property: Option<PropertyId>,
    /// Paused schedules too.
    pub paused: bool,
}

/// A schedule as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSummary {
    pub id: ScheduleId,
    pub property: PropertyId,
    pub property_name: String,
    /// The unit's label, or `None` for the whole property.
    pub unit: Option<String>,
    pub title: String,
    /// "Heating – Boiler service"
    pub category: String,
    pub recurrence: Recurrence,
    /// "Every 12 months from 15/01/2027"
    pub recurrence_text: String,
    pub lead_days: u32,
    /// The next occurrence not yet raised, and the day its order will be raised; `None`
    /// when none is left.
    pub next_due: Option<NaiveDate>,
    pub raise_on: Option<NaiveDate>,
    pub paused: bool,
    pub orders_raised: i64,
}

/// A schedule with its history and the orders it raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDetail {
    pub summary: ScheduleSummary,
    pub description: String,
    /// Newest first.
    pub history: Vec<ScheduleEntry>,
    /// Newest first.
    pub orders: Vec<PlannedOrder>,
}

/// One line of a schedule's history: made, paused, resumed (and what that skipped), an
/// order raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleEntry {
    pub at: DateTime<Utc>,
    /// Who did it; `None` for the background engine.
    pub by: Option<String>,
    pub by_id: Option<UserId>,
    pub note: String,
}

/// An order a schedule raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedOrder {
    pub id: WorkOrderId,
    /// The occurrence it is for.
    pub planned_for: NaiveDate,
    pub state: State,
}

/// What marks an order as planned, on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedMark {
    pub schedule: ScheduleId,
    pub title: String,
    pub planned_for: NaiveDate,
}
