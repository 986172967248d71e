//! How the agency performs (#19): each report computed from the facts of the orders it
//! counts. The store reads the facts (one row per order, only what the reader may see);
//! everything after that is here, free of IO, so both engines give the same figures and
//! each rule is tested on a hand-written agency.

mod contractors;
mod format;
mod repeats;
mod sla;
mod spend;
mod time_to_close;

pub use format::{csv_heading, month_label};

use crate::api::{Cell, Measure, Report, ReportFilter, ReportKind};
use crate::dates;
use crate::ids::{CategoryId, PropertyId, UnitId, UserId, WorkOrderId};
use crate::lifecycle::State;
use crate::priority::Priority;
use crate::sla::WorkingCalendar;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};

/// What a report needs to know of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    pub id: WorkOrderId,
    pub opened_at: DateTime<Utc>,
    pub state: State,
    pub priority: Priority,
    pub category: CategoryId,
    pub subcategory: CategoryId,
    pub property: PropertyId,
    pub unit: UnitId,
    pub landlord: UserId,
    pub contractor: Option<UserId>,
    pub respond_by: DateTime<Utc>,
    pub resolve_by: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub invoice_minor: Option<i64>,
    pub paid_minor: Option<i64>,
    pub rating: Option<i64>,
    /// Raised by a planned-maintenance schedule: real work for every report, but no
    /// fault, so no repeat of one (`repeats`).
    pub planned: bool,
    /// From the order's history; read for the contractor report only.
    pub work: Option<ContractorWork>,
}

/// When the order's contractor was offered it, accepted it and first started on site,
/// and whether the work was sent back (reopened by staff or reported not done).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContractorWork {
    pub offered_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub sent_back: bool,
}

/// What the facts' ids are called, as the reader may see them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub categories: HashMap<CategoryId, String>,
    pub properties: HashMap<PropertyId, String>,
    /// Each unit's label and its property.
    pub units: HashMap<UnitId, (PropertyId, String)>,
    pub landlords: HashMap<UserId, String>,
    pub contractors: HashMap<UserId, String>,
}

impl Names {
    fn category(&self, id: CategoryId) -> String {
        self.categories.get(&id).cloned().unwrap_or_else(|| format!("Category {id}"))
    }

    fn property(&self, id: PropertyId) -> String {
        self.properties.get(&id).cloned().unwrap_or_else(|| format!("Property {id}"))
    }

    /// "14 Quay Street, Flat 2"
    fn unit(&self, id: UnitId) -> String {
        match self.units.get(&id) {
            Some((property, label)) => format!("{}, {label}", self.property(*property)),
            None => format!("Unit {id}"),
        }
    }

    fn landlord(&self, id: UserId) -> String {
        self.landlords.get(&id).cloned().unwrap_or_else(|| format!("Landlord {id}"))
    }

    fn contractor(&self, id: UserId) -> String {
        self.contractors.get(&id).cloned().unwrap_or_else(|| format!("Contractor {id}"))
    }
}

/// What every report is computed against.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub filter: &'a ReportFilter,
    pub calendar: &'a WorkingCalendar,
    pub names: &'a Names,
    pub now: DateTime<Utc>,
    pub currency: &'a str,
}

impl Context<'_> {
    /// The months of the period, oldest first, as (year, month).
    fn months(&self) -> Vec<(i32, u32)> {
        let mut months = Vec::new();
        let (mut year, mut month) = (self.filter.from.year(), self.filter.from.month());
        while (year, month) <= (self.filter.to.year(), self.filter.to.month()) {
            months.push((year, month));
            (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        }
        months
    }

    /// Which of `months()` the order was raised in.
    fn month_of(&self, order: &OrderFacts) -> usize {
        let date = self.calendar.local_date(order.opened_at);
        let first = (self.filter.from.year(), self.filter.from.month());
        let months = (date.year() - first.0) * 12 + date.month() as i32 - first.1 as i32;
        usize::try_from(months).unwrap_or(0)
    }

    fn month_labels(&self) -> Vec<String> {
        self.months().into_iter().map(|(year, month)| month_label(year, month)).collect()
    }
}

/// The report of `kind` over `orders` (those the filter and the reader's visibility let
/// through, in any order).
pub fn compute(kind: ReportKind, orders: &[OrderFacts], context: &Context) -> Report {
    let (figures, charts, table) = match kind {
        ReportKind::TimeToClose => time_to_close::report(orders, context),
        ReportKind::Sla => sla::report(orders, context),
        ReportKind::Repeats => repeats::report(orders, context),
        ReportKind::Contractors => contractors::report(orders, context),
        ReportKind::Spend => spend::report(orders, context),
    };
    Report {
        kind,
        period: period_line(context.filter.from, context.filter.to),
        figures,
        charts,
        table,
        currency: context.currency.to_owned(),
    }
}

/// Why a filter cannot be reported on, if it cannot.
pub fn check_filter(filter: &ReportFilter) -> Result<(), String> {
    if filter.to < filter.from {
        return Err("the period ends before it starts".into());
    }
    if (filter.to - filter.from).num_days() >= crate::api::MAX_REPORT_DAYS {
        return Err("a report covers at most five years".into());
    }
    if !crate::api::REPEAT_MONTHS.contains(&filter.repeat_months) {
        return Err("repeat faults are looked for 1 to 24 months apart".into());
    }
    Ok(())
}

/// "Orders raised 1 Dec 2025 – 30 Nov 2026"
fn period_line(from: NaiveDate, to: NaiveDate) -> String {
    format!("Orders raised {} – {}", dates::day(from), dates::day(to))
}

/// The mean, rounded to the nearest whole unit.
fn mean(values: &[i64]) -> Option<i64> {
    let count = i64::try_from(values.len()).ok().filter(|count| *count > 0)?;
    let sum: i128 = values.iter().map(|v| i128::from(*v)).sum();
    i64::try_from((sum * 2 + i128::from(count)).div_euclid(2 * i128::from(count))).ok()
}

/// The median: the middle value, or the mean of the middle two.
fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    if values.len() % 2 == 1 { Some(values[middle]) } else { mean(&[values[middle - 1], values[middle]]) }
}

/// `part` of `whole` in tenths of a per cent, rounded; none of nothing.
fn share(part: usize, whole: usize) -> Option<i64> {
    let (part, whole) = (i64::try_from(part).ok()?, i64::try_from(whole).ok()?);
    (whole > 0).then(|| (part * 2000 + whole).div_euclid(2 * whole))
}

fn count(value: usize) -> Cell {
    Cell::Number(Measure::Count, i64::try_from(value).unwrap_or(i64::MAX))
}

/// Seconds from `from` to `to`, when both are known and in order.
fn seconds_between(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Option<i64> {
    let seconds = (to? - from?).num_seconds();
    (seconds >= 0).then_some(seconds)
}

/// Groups `orders` by `key`, keeping the groups in key order.
fn grouped<'a, K: Ord>(
    orders: impl IntoIterator<Item = &'a OrderFacts>,
    key: impl Fn(&OrderFacts) -> K,
) -> BTreeMap<K, Vec<&'a OrderFacts>> {
    let mut groups = BTreeMap::new();
    for order in orders {
        groups.entry(key(order)).or_insert_with(Vec::new).push(order);
    }
    groups
}

/// `grouped` by a cheap id, then keyed by what the id is called: naming each group once
/// rather than each order (70,000 names a year at agency scale). Ids called alike share
/// a group.
fn grouped_by_name<'a, K: Ord>(
    orders: impl IntoIterator<Item = &'a OrderFacts>,
    id: impl Fn(&OrderFacts) -> K,
    name: impl Fn(K) -> String,
) -> BTreeMap<String, Vec<&'a OrderFacts>> {
    let mut named: BTreeMap<String, Vec<&'a OrderFacts>> = BTreeMap::new();
    for (key, group) in grouped(orders, id) {
        named.entry(name(key)).or_default().extend(group);
    }
    named
}

/// The orders raised in each month of the period, oldest month first (empty months too).
fn per_month<'a>(orders: &[&'a OrderFacts], context: &Context) -> Vec<Vec<&'a OrderFacts>> {
    let mut months = vec![Vec::new(); context.months().len()];
    for order in orders {
        if let Some(month) = months.get_mut(context.month_of(order)) {
            month.push(*order);
        }
    }
    months
}

/// A section of a report's table: one row per group, the section and the group's name
/// first, then `cells` of the group's orders.
fn section<G>(
    section: &str,
    groups: impl IntoIterator<Item = (String, G)>,
    cells: impl Fn(&G) -> Vec<Cell>,
) -> Vec<Vec<Cell>> {
    groups
        .into_iter()
        .map(|(name, group)| {
            let mut row = vec![Cell::text(section), Cell::Text(name)];
            row.extend(cells(&group));
            row
        })
        .collect()
}

/// The usual sections, grouped by category (by name), priority and month raised.
fn standard_sections<'a>(
    orders: &[&'a OrderFacts],
    context: &Context,
    cells: impl Fn(&Vec<&'a OrderFacts>) -> Vec<Cell>,
) -> Vec<Vec<Cell>> {
    let by_category = grouped_by_name(orders.iter().copied(), |o| o.category, |id| context.names.category(id));
    let by_priority = grouped(orders.iter().copied(), |o| o.priority);
    let mut rows = section("Category", by_category, &cells);
    rows.extend(section("Priority", by_priority.into_iter().map(|(p, g)| (p.as_str().to_owned(), g)), &cells));
    rows.extend(section("Month", context.month_labels().into_iter().zip(per_month(orders, context)), &cells));
    rows
}

#[cfg(test)]
pub(crate) mod tests;
