//! SLA clocks: response-due and resolve-due times, in wall-clock or business time,
//! and whether an order is on track, at risk or breached at a given instant.

use crate::lifecycle::State;
use crate::priority::Priority;
use crate::zone::Zone;
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// The agency's working week, hours and time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    pub time_zone: Zone,
    pub working_days: Vec<Weekday>,
    pub day_start: NaiveTime,
    pub day_end: NaiveTime,
    /// Days the clock does not count although they fall on a working day, sorted.
    pub holidays: Vec<NaiveDate>,
}

impl WorkingCalendar {
    /// Monday to Friday, 09:00–17:30, London.
    pub fn uk_default() -> Self {
        Self {
            time_zone: Zone::london(),
            working_days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
            day_start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            day_end: NaiveTime::from_hms_opt(17, 30, 0).unwrap_or(NaiveTime::MIN),
            holidays: Vec::new(),
        }
    }

    fn is_working_day(&self, date: NaiveDate) -> bool {
        self.working_days.contains(&date.weekday()) && self.holidays.binary_search(&date).is_err()
    }

    fn next_working_day(&self, mut date: NaiveDate) -> NaiveDate {
        // A calendar with no working days would loop forever; a year without one is
        // treated as every day.
        for _ in 0..366 {
            date = date.succ_opt().unwrap_or(date);
            if self.is_working_day(date) {
                return date;
            }
        }
        date
    }

    /// The first working instant at or after `local`: the clock does not run overnight
    /// or at weekends.
    fn clock_start(&self, local: NaiveDateTime) -> NaiveDateTime {
        let (date, time) = (local.date(), local.time());
        if self.is_working_day(date) && time < self.day_start {
            date.and_time(self.day_start)
        } else if self.is_working_day(date) && time < self.day_end {
            local
        } else {
            self.next_working_day(date).and_time(self.day_start)
        }
    }

    /// `days` working days after `start`, at the same local time of day.
    pub fn add_business_days(&self, start: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let mut local = self.clock_start(start.with_timezone(&self.time_zone).naive_local());
        for _ in 0..days {
            local = self.next_working_day(local.date()).and_time(local.time());
        }
        self.to_utc(local)
    }

    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.time_zone.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
            // In the spring-forward gap: the same wall time an hour later exists.
            LocalResult::None => self.to_utc(local + Duration::hours(1)),
        }
    }

    /// The agency's wall-clock time at `at`: how history notes write a time.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.time_zone).naive_local()
    }

    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    /// Whether the agency is at work at `at`: a working day that is no holiday, between
    /// the day's start and end. Outside it an emergency is e-mailed to the escalation contact.
    pub fn is_working_time(&self, at: DateTime<Utc>) -> bool {
        let local = self.local(at);
        self.working_days.contains(&local.weekday())
            && self.holidays.binary_search(&local.date()).is_err()
            && (self.day_start..self.day_end).contains(&local.time())
    }
}

/// How long a clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlaSpan {
    Hours(u32),
    Days(u32),
    BusinessDays(u32),
}

impl SlaSpan {
    pub fn due_from(self, start: DateTime<Utc>, calendar: &WorkingCalendar) -> DateTime<Utc> {
        match self {
            SlaSpan::Hours(h) => start + Duration::hours(i64::from(h)),
            SlaSpan::Days(d) => start + Duration::days(i64::from(d)),
            SlaSpan::BusinessDays(d) => calendar.add_business_days(start, d),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTarget {
    pub respond: SlaSpan,
    pub resolve: SlaSpan,
}

/// SLA targets per priority; SPEC's defaults, configurable per agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTargets {
    pub emergency: SlaTarget,
    pub urgent: SlaTarget,
    pub routine: SlaTarget,
    pub low: SlaTarget,
}

impl Default for SlaTargets {
    fn default() -> Self {
        Self {
            emergency: SlaTarget { respond: SlaSpan::Hours(4), resolve: SlaSpan::Hours(24) },
            urgent: SlaTarget { respond: SlaSpan::Hours(24), resolve: SlaSpan::Hours(48) },
            routine: SlaTarget { respond: SlaSpan::Hours(48), resolve: SlaSpan::BusinessDays(5) },
            low: SlaTarget { respond: SlaSpan::Days(7), resolve: SlaSpan::Days(30) },
        }
    }
}

impl SlaTargets {
    pub fn for_priority(&self, priority: Priority) -> SlaTarget {
        match priority {
            Priority::Emergency => self.emergency,
            Priority::Urgent => self.urgent,
            Priority::Routine => self.routine,
            Priority::Low => self.low,
        }
    }
}

/// The two due times an order carries from the moment it is triaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaDue {
    pub respond_by: DateTime<Utc>,
    pub resolve_by: DateTime<Utc>,
}

pub fn due_times(
    opened: DateTime<Utc>,
    priority: Priority,
    targets: &SlaTargets,
    calendar: &WorkingCalendar,
) -> SlaDue {
    let target = targets.for_priority(priority);
    SlaDue {
        respond_by: target.respond.due_from(opened, calendar),
        resolve_by: target.resolve.due_from(opened, calendar),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SlaStatus {
    OnTrack,
    AtRisk,
    Breached,
    /// The clock has stopped (responded and resolved) within target.
    Met,
    /// Cancelled or rejected: there was nothing to deliver.
    NotApplicable,
}

impl SlaStatus {
    /// As the list's badge says it ("—": no SLA applies).
    pub fn label(self) -> &'static str {
        match self {
            SlaStatus::OnTrack => "On track",
            SlaStatus::AtRisk => "At risk",
            SlaStatus::Breached => "Breached",
            SlaStatus::Met => "Met",
            SlaStatus::NotApplicable => "—",
        }
    }
}

/// Share of the allowed time after which an order counts as at risk.
pub const AT_RISK_SHARE_PERCENT: i64 = 80;

/// One clock: started at `start`, due at `due`, stopped at `stopped` (if it has).
pub fn clock_status(
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    stopped: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> SlaStatus {
    match stopped {
        Some(at) if at <= due => SlaStatus::Met,
        Some(_) => SlaStatus::Breached,
        None if now >= due => SlaStatus::Breached,
        None => {
            let allowed = (due - start).num_seconds().max(1);
            let used = (now - start).num_seconds();
            if used * 100 >= allowed * AT_RISK_SHARE_PERCENT { SlaStatus::AtRisk } else { SlaStatus::OnTrack }
        }
    }
}

/// An order's SLA at `now`: the response clock until someone responds, then the
/// resolve clock; a breached response stays visible.
pub fn order_status(
    state: State,
    opened: DateTime<Utc>,
    due: SlaDue,
    responded: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> SlaStatus {
    if state.was_abandoned() {
        return SlaStatus::NotApplicable;
    }
    let respond = clock_status(opened, due.respond_by, responded, now);
    let resolve = clock_status(opened, due.resolve_by, resolved, now);
    match (respond, resolve) {
        (SlaStatus::Breached, _) | (_, SlaStatus::Breached) => SlaStatus::Breached,
        (SlaStatus::AtRisk, _) | (_, SlaStatus::AtRisk) => SlaStatus::AtRisk,
        (SlaStatus::Met, SlaStatus::Met) => SlaStatus::Met,
        (SlaStatus::OnTrack | SlaStatus::Met | SlaStatus::NotApplicable, _) => SlaStatus::OnTrack,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn working_time_is_a_working_day_between_its_hours_and_no_holiday() {
        let calendar = WorkingCalendar::uk_default();
        // Monday 23 November 2026; London is on UTC in winter.
        assert!(calendar.is_working_time(utc("2026-11-23T09:00:00Z")));
        assert!(calendar.is_working_time(utc("2026-11-23T17:29:00Z")));
        assert!(!calendar.is_working_time(utc("2026-11-23T08:59:00Z")));
        assert!(!calendar.is_working_time(utc("2026-11-23T17:30:00Z")));
        assert!(!calendar.is_working_time(utc("2026-11-22T11:00:00Z")), "a Sunday");
        let holiday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let closed = WorkingCalendar { holidays: vec![holiday], ..WorkingCalendar::uk_default() };
        assert!(!closed.is_working_time(utc("2026-11-23T11:00:00Z")), "a bank holiday");
    }

    #[test]
    fn five_business_days_from_a_friday_skip_the_weekend() {
        let calendar = WorkingCalendar::uk_default();
        // Friday 13 March 2026, 15:00 GMT → Friday 20 March 15:00 GMT.
        assert_eq!(calendar.add_business_days(utc("2026-03-13T15:00:00Z"), 5), utc("2026-03-20T15:00:00Z"));
    }

    #[test]
    fn a_request_on_saturday_starts_the_clock_on_monday_morning() {
        let calendar = WorkingCalendar::uk_default();
        assert_eq!(calendar.add_business_days(utc("2026-03-14T11:00:00Z"), 1), utc("2026-03-17T09:00:00Z"));
    }

    #[test]
    fn business_days_keep_local_time_across_the_clock_change() {
        let calendar = WorkingCalendar::uk_default();
        // Friday 27 March 2026 10:00 GMT; BST starts on Sunday 29 March, so 10:00 local is 09:00Z.
        assert_eq!(calendar.add_business_days(utc("2026-03-27T10:00:00Z"), 1), utc("2026-03-30T09:00:00Z"));
    }

    #[test]
    fn a_bank_holiday_is_not_counted_as_a_working_day() {
        let good_friday = NaiveDate::from_ymd_opt(2026, 4, 3).expect("a date");
        let easter_monday = NaiveDate::from_ymd_opt(2026, 4, 6).expect("a date");
        let calendar = WorkingCalendar { holidays: vec![good_friday, easter_monday], ..WorkingCalendar::uk_default() };
        // Thursday 2 April 2026 10:00 BST + 1 working day: Friday and Monday are holidays.
        assert_eq!(calendar.add_business_days(utc("2026-04-02T09:00:00Z"), 1), utc("2026-04-07T09:00:00Z"));
        // A request on the holiday itself starts the clock on the next working morning.
        assert_eq!(calendar.add_business_days(utc("2026-04-03T10:00:00Z"), 0), utc("2026-04-07T08:00:00Z"));
    }

    #[test]
    fn the_working_week_is_read_in_the_agencys_time_zone() {
        let calendar =
            WorkingCalendar { time_zone: "America/New_York".parse().expect("a zone"), ..WorkingCalendar::uk_default() };
        // 02:00Z Saturday is still Friday 21:00 in New York: after hours, so Monday 09:00 EST.
        assert_eq!(calendar.add_business_days(utc("2026-01-10T02:00:00Z"), 0), utc("2026-01-12T14:00:00Z"));
    }

    #[test]
    fn cancelled_and_rejected_orders_have_no_sla_but_closed_ones_keep_theirs() {
        let opened = utc("2026-03-02T10:00:00Z");
        let due = SlaDue { respond_by: opened + Duration::hours(4), resolve_by: opened + Duration::hours(24) };
        let late = opened + Duration::days(3);
        assert_eq!(order_status(State::Cancelled, opened, due, None, None, late), SlaStatus::NotApplicable);
        assert_eq!(order_status(State::Rejected, opened, due, None, None, late), SlaStatus::NotApplicable);
        assert_eq!(order_status(State::Closed, opened, due, Some(opened), Some(late), late), SlaStatus::Breached);
        assert_eq!(order_status(State::New, opened, due, None, None, opened + Duration::hours(1)), SlaStatus::OnTrack);
    }

    #[test]
    fn an_order_is_at_risk_after_eighty_percent_of_its_time() {
        let start = utc("2026-03-02T10:00:00Z");
        let due = start + Duration::hours(10);
        assert_eq!(clock_status(start, due, None, start + Duration::hours(7)), SlaStatus::OnTrack);
        assert_eq!(clock_status(start, due, None, start + Duration::hours(8)), SlaStatus::AtRisk);
        assert_eq!(clock_status(start, due, None, due), SlaStatus::Breached);
        assert_eq!(clock_status(start, due, Some(due), due + Duration::days(3)), SlaStatus::Met);
    }
}
