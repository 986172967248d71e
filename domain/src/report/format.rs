//! How a report's numbers are written: on screen for a person ("2.5 days", "£1,240.00",
//! "93.4%"), and in the CSV for a spreadsheet (plain numbers, the unit in the heading).

use crate::api::{Cell, Measure, Table};
use crate::money::MoneySum;
use crate::numbers::thousands;

const HOUR: i64 = 3_600;

/// "Jan 2026"
pub fn month_label(year: i32, month: u32) -> String {
    const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let name = NAMES.get(month.saturating_sub(1) as usize).copied().unwrap_or("?");
    format!("{name} {year}")
}

impl Measure {
    /// `value` as a person reads it.
    pub fn show(self, value: i64, currency: &str) -> String {
        match self {
            Measure::Count => thousands(value),
            Measure::Duration => duration(value),
            Measure::Share => format!("{}%", tenths(value)),
            Measure::Money => MoneySum::try_from(value)
                .map_or_else(|_| value.to_string(), |sum| sum.in_currency(currency).to_string()),
            Measure::Rating => format!("{} / 5", tenths(value)),
        }
    }

    /// `value` as a spreadsheet reads it, in the unit `csv_unit` names.
    pub fn csv(self, value: i64) -> String {
        match self {
            Measure::Count => value.to_string(),
            Measure::Duration => tenths(value * 10 / HOUR),
            Measure::Share | Measure::Rating => tenths(value),
            Measure::Money => {
                let sign = if value < 0 { "-" } else { "" };
                format!("{sign}{}.{:02}", (value / 100).abs(), (value % 100).abs())
            }
        }
    }

    /// What the CSV's plain numbers are in, for the column's heading.
    fn csv_unit(self, currency: &str) -> Option<String> {
        match self {
            Measure::Count => None,
            Measure::Duration => Some("hours".into()),
            Measure::Share => Some("%".into()),
            Measure::Money => Some(currency.to_owned()),
            Measure::Rating => Some("of 5".into()),
        }
    }
}

impl Cell {
    pub fn show(&self, currency: &str) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(measure, value) => measure.show(*value, currency),
            Cell::Blank => "—".into(),
        }
    }

    pub fn csv(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(measure, value) => measure.csv(*value),
            Cell::Blank => String::new(),
        }
    }
}

/// Column `index`'s heading in the CSV: the screen's, with the unit its numbers are in
/// ("Median (hours)").
pub fn csv_heading(table: &Table, index: usize, currency: &str) -> String {
    let heading = table.columns.get(index).cloned().unwrap_or_default();
    let measure = table.rows.iter().find_map(|row| match row.get(index) {
        Some(Cell::Number(measure, _)) => Some(*measure),
        _ => None,
    });
    match measure.and_then(|measure| measure.csv_unit(currency)) {
        Some(unit) => format!("{heading} ({unit})"),
        None => heading,
    }
}

/// "35 min", "5.5 h", "3.2 days": the largest unit that keeps the number readable.
fn duration(seconds: i64) -> String {
    if seconds < HOUR {
        format!("{} min", (seconds + 30) / 60)
    } else if seconds < 48 * HOUR {
        format!("{} h", tenths((seconds * 10 + HOUR / 2) / HOUR))
    } else {
        format!("{} days", tenths((seconds * 10 + 12 * HOUR) / (24 * HOUR)))
    }
}

/// 934 as "93.4".
fn tenths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}.{}", (value / 10).abs(), (value % 10).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_unit_that_suits_them() {
        assert_eq!(duration(35 * 60), "35 min");
        assert_eq!(duration(5 * HOUR + 30 * 60), "5.5 h");
        assert_eq!(duration(77 * HOUR), "3.2 days");
        assert_eq!(Measure::Duration.csv(77 * HOUR), "77.0");
    }

    #[test]
    fn numbers_read_as_a_person_and_a_spreadsheet_expect() {
        assert_eq!(Measure::Share.show(934, "GBP"), "93.4%");
        assert_eq!(Measure::Count.show(1_234_567, "GBP"), "1,234,567");
        assert_eq!(Measure::Money.csv(123_405), "1234.05");
        assert_eq!(Measure::Rating.show(42, "GBP"), "4.2 / 5");
    }
}
