//! The reports (#19): how the agency performs, as figures, charts and the table behind
//! them. Every report has the same shape, so the UI draws any of them and the CSV export
//! writes exactly the table on screen.

use crate::ids::{CategoryId, PropertyId, UserId};
use crate::priority::Priority;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportKind {
    /// Request to completion: mean and median by category, priority and month.
    TimeToClose,
    /// Response and resolution targets met, by priority and month.
    Sla,
    /// The same fault again: at one unit, across a property, the same contractor back.
    Repeats,
    /// Each contractor's speed, completion, first-time fixes, ratings and cost.
    Contractors,
    /// Invoiced and paid, by property, landlord, category and month.
    Spend,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] =
        [ReportKind::TimeToClose, ReportKind::Sla, ReportKind::Repeats, ReportKind::Contractors, ReportKind::Spend];

    pub fn title(self) -> &'static str {
        match self {
            ReportKind::TimeToClose => "Time to complete",
            ReportKind::Sla => "SLA targets",
            ReportKind::Repeats => "Repeat faults",
            ReportKind::Contractors => "Contractor performance",
            ReportKind::Spend => "Spend",
        }
    }

    /// A stable lower-case name: element ids, the CSV file's suggested name.
    pub fn slug(self) -> &'static str {
        match self {
            ReportKind::TimeToClose => "time-to-complete",
            ReportKind::Sla => "sla",
            ReportKind::Repeats => "repeat-faults",
            ReportKind::Contractors => "contractors",
            ReportKind::Spend => "spend",
        }
    }
}

/// Which orders a report counts: those raised between `from` and `to` (agency-local
/// days, both included), narrowed by the other fields. A landlord's reports count only
/// their own properties whatever is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub landlord: Option<UserId>,
    pub property: Option<PropertyId>,
    pub category: Option<CategoryId>,
    pub priority: Option<Priority>,
    /// Repeat faults: how many months apart two requests still count as one fault again.
    pub repeat_months: u32,
}

impl ReportFilter {
    /// The twelve months to `today`, this month included, nothing else narrowed: what
    /// the Reports screen opens on.
    pub fn twelve_months_to(today: NaiveDate) -> Self {
        let from = today.with_day(1).and_then(|first| first.checked_sub_months(Months::new(11))).unwrap_or(today);
        ReportFilter {
            from,
            to: today,
            landlord: None,
            property: None,
            category: None,
            priority: None,
            repeat_months: 6,
        }
    }
}

/// Longest period one report covers, in days (five years).
pub const MAX_REPORT_DAYS: i64 = 5 * 366;

/// Most rows of one section a report lists, the largest first: each repeat-fault
/// pattern, the properties and the landlords of the spend report.
pub const MAX_PATTERN_ROWS: usize = 100;

/// Repeat months allowed.
pub const REPEAT_MONTHS: std::ops::RangeInclusive<u32> = 1..=24;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    pub kind: ReportKind,
    pub filter: ReportFilter,
}

/// A report as shown: headline figures, charts, and the table they are drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    /// "Orders raised 1 Dec 2025 – 30 Nov 2026"
    pub period: String,
    pub figures: Vec<Figure>,
    pub charts: Vec<Chart>,
    pub table: Table,
    /// The agency's currency (ISO 4217), to write money in.
    pub currency: String,
}

/// One headline number: "Median" "2.5 days".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub value: Cell,
}

/// What a number measures, which says how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    Count,
    /// Seconds.
    Duration,
    /// Tenths of a per cent: 934 is 93.4%.
    Share,
    /// Minor units of the agency's currency.
    Money,
    /// Tenths of a star: 42 is 4.2 of 5.
    Rating,
}

/// A chart: bars or lines over `labels`, one value per label in each series (`None`:
/// nothing to measure there, drawn as a gap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    pub shape: ChartShape,
    pub measure: Measure,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartShape {
    Bars,
    Lines,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<i64>>,
}

/// The table behind a report. Its rows come in sections ("Category", "Month"), each
/// row's first cell naming its section, so one table (and one CSV) holds them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Said under the table when rows were left out ("The 100 largest of 312 shown").
    pub note: Option<String>,
}

/// One cell: text, a number of some measure, or nothing to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Number(Measure, i64),
    Blank,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Cell::Text(text.into())
    }

    /// A number, or blank when there was nothing to measure.
    pub fn number(measure: Measure, value: Option<i64>) -> Self {
        value.map_or(Cell::Blank, |value| Cell::Number(measure, value))
    }
}
