//! "Today" and "this month" as the agency counts them: days and months in its time
//! zone, as half-open ranges of UTC instants for the store's queries.

use crate::error::Result;
use anyhow::anyhow;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc};
use plumbline_domain::api::TimeRange;
use plumbline_domain::sla::WorkingCalendar;

/// The agency-local day `now` falls on.
pub fn local_day(calendar: &WorkingCalendar, now: DateTime<Utc>) -> Result<TimeRange> {
    let date = calendar.local_date(now);
    let next = date.checked_add_days(Days::new(1)).ok_or_else(|| anyhow!("no day after {date}"))?;
    Ok(between(calendar, date, next))
}

/// The agency-local calendar month `now` falls in.
pub fn local_month(calendar: &WorkingCalendar, now: DateTime<Utc>) -> Result<TimeRange> {
    let date = calendar.local_date(now);
    let first = date.with_day(1).ok_or_else(|| anyhow!("no first day of the month of {date}"))?;
    let next = first.checked_add_months(Months::new(1)).ok_or_else(|| anyhow!("no month after {first}"))?;
    Ok(between(calendar, first, next))
}

/// The agency-local calendar year `now` falls in, up to now's month's end: "this year".
pub fn local_year(calendar: &WorkingCalendar, now: DateTime<Utc>) -> Result<TimeRange> {
    let date = calendar.local_date(now);
    let first = date.with_ordinal(1).ok_or_else(|| anyhow!("no first day of the year of {date}"))?;
    let next = first.checked_add_months(Months::new(12)).ok_or_else(|| anyhow!("no year after {first}"))?;
    Ok(between(calendar, first, next))
}

/// The instant an agency-local day starts: how a date (a payout's, say) is stored.
pub fn start_of(calendar: &WorkingCalendar, date: NaiveDate) -> DateTime<Utc> {
    calendar.to_utc(date.and_time(NaiveTime::MIN))
}

fn between(calendar: &WorkingCalendar, first: NaiveDate, next: NaiveDate) -> TimeRange {
    TimeRange { from: start_of(calendar, first), until: start_of(calendar, next) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn a_london_month_starts_at_local_midnight() {
        let calendar = WorkingCalendar::uk_default();
        // 23:30 UTC on 31 July is already 1 August in London (summer time).
        let month = local_month(&calendar, utc("2026-07-31T23:30:00Z")).unwrap();
        assert_eq!(month.from, utc("2026-07-31T23:00:00Z"));
        assert_eq!(month.until, utc("2026-08-31T23:00:00Z"));
        let november = local_month(&calendar, utc("2026-11-23T09:30:00Z")).unwrap();
        assert_eq!((november.from, november.until), (utc("2026-11-01T00:00:00Z"), utc("2026-12-01T00:00:00Z")));
    }
}
