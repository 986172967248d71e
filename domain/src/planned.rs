//! Planned maintenance: a job that recurs (a boiler service every 12 months, gutters
//! every 6) or falls on set dates, raised as a work order a set number of days before
//! each occurrence so a contractor can be booked in time.
//!
//! A schedule's occurrences are numbered from 0. A recurring one is anchored to its first
//! day, so "every 1 month from 31 January" is 28 February, then 31 March, never drifting
//! to the 28th; one on dates takes them in order. The store keeps the number of the next
//! occurrence not yet raised, so each is raised exactly once.

use crate::dates::day;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest gap between occurrences (ten years, as an EPC's).
pub const MAX_EVERY_MONTHS: u32 = 120;
/// The furthest ahead of an occurrence its order may be raised.
pub const MAX_LEAD_DAYS: u32 = 180;
/// The most dates a schedule on dates may hold.
pub const MAX_DATES: usize = 24;
/// A new schedule's lead, unless staff choose another.
pub const DEFAULT_LEAD_DAYS: u32 = 14;

/// When a planned job falls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Recurrence {
    /// On `first`, then every `months` months after it.
    Every { months: u32, first: NaiveDate },
    /// On each of these days (kept sorted, without repeats).
    OnDates(Vec<NaiveDate>),
}

impl Recurrence {
    /// Occurrence number `index`, or `None` past the last (or past the calendar's end).
    pub fn occurrence(&self, index: u32) -> Option<NaiveDate> {
        match self {
            Recurrence::Every { months, first } => {
                let offset = months.checked_mul(index)?;
                first.checked_add_months(Months::new(offset))
            }
            Recurrence::OnDates(dates) => dates.get(usize::try_from(index).ok()?).copied(),
        }
    }

    /// The first occurrence from `index` on that falls on or after `today`: where a
    /// schedule resumes after a pause (what fell while it was paused is skipped).
    pub fn first_from(&self, index: u32, today: NaiveDate) -> u32 {
        let mut index = index;
        while self.occurrence(index).is_some_and(|day| day < today) {
            index += 1;
        }
        index
    }

    /// "Every 3 months from 15 Jan 2027", "Every year from …", "On 1 Jun 2027 and 1 Dec 2027".
    pub fn describe(&self) -> String {
        match self {
            Recurrence::Every { months: 1, first } => format!("Every month from {}", day(*first)),
            Recurrence::Every { months: 12, first } => format!("Every year from {}", day(*first)),
            Recurrence::Every { months, first } if months % 12 == 0 => {
                format!("Every {} years from {}", months / 12, day(*first))
            }
            Recurrence::Every { months, first } => format!("Every {months} months from {}", day(*first)),
            Recurrence::OnDates(dates) => {
                let days: Vec<String> = dates.iter().map(|d| day(*d)).collect();
                match days.split_last() {
                    None => "On no dates".to_owned(),
                    Some((only, [])) => format!("On {only}"),
                    Some((last, rest)) => format!("On {} and {last}", rest.join(", ")),
                }
            }
        }
    }

    /// Every problem with the recurrence for a schedule made `today`, each with what to
    /// change: an empty list means it may be saved. Dates are sorted and deduplicated by
    /// [`Recurrence::normalised`] first.
    pub fn problems(&self, today: NaiveDate) -> Vec<RecurrenceProblem> {
        let mut problems = Vec::new();
        match self {
            Recurrence::Every { months, first } => {
                if *months == 0 || *months > MAX_EVERY_MONTHS {
                    problems.push(RecurrenceProblem::Every(format!("repeat every 1 to {MAX_EVERY_MONTHS} months")));
                }
                if *first < today {
                    problems.push(RecurrenceProblem::FirstDue(format!(
                        "the first one cannot be in the past (today is {})",
                        day(today)
                    )));
                }
            }
            Recurrence::OnDates(dates) => {
                if dates.is_empty() {
                    problems.push(RecurrenceProblem::Dates("give at least one date".into()));
                } else if dates.len() > MAX_DATES {
                    problems.push(RecurrenceProblem::Dates(format!("give at most {MAX_DATES} dates")));
                }
                if let Some(past) = dates.iter().find(|d| **d < today) {
                    problems.push(RecurrenceProblem::Dates(format!(
                        "{} is in the past (today is {})",
                        day(*past),
                        day(today)
                    )));
                }
            }
        }
        problems
    }

    /// The same recurrence with its dates in order and each once.
    pub fn normalised(self) -> Self {
        match self {
            Recurrence::OnDates(mut dates) => {
                dates.sort_unstable();
                dates.dedup();
                Recurrence::OnDates(dates)
            }
            every => every,
        }
    }
}

/// What is wrong with a recurrence, by the input it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecurrenceProblem {
    Every(String),
    FirstDue(String),
    Dates(String),
}

/// The day an occurrence's order is raised: `lead_days` before it.
pub fn raise_on(occurrence: NaiveDate, lead_days: u32) -> NaiveDate {
    occurrence.checked_sub_days(Days::new(lead_days.into())).unwrap_or(NaiveDate::MIN)
}

/// The occurrences due to be raised on `today`, from number `next` on: each whose raise
/// day has come, with its number. One missed while no one ran the engine (every desktop
/// closed over a weekend) is still raised, late rather than never.
pub fn due(recurrence: &Recurrence, next: u32, lead_days: u32, today: NaiveDate) -> Vec<(u32, NaiveDate)> {
    (next..)
        .map_while(|index| recurrence.occurrence(index).map(|day| (index, day)))
        .take_while(|(_, day)| raise_on(*day, lead_days) <= today)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_monthly_schedule_keeps_to_its_first_day() {
        let every = Recurrence::Every { months: 1, first: d(2027, 1, 31) };
        let days: Vec<_> = (0..4).map(|i| every.occurrence(i).unwrap()).collect();
        assert_eq!(days, [d(2027, 1, 31), d(2027, 2, 28), d(2027, 3, 31), d(2027, 4, 30)]);
    }

    #[test]
    fn dates_run_out() {
        let on = Recurrence::OnDates(vec![d(2027, 6, 1), d(2027, 12, 1)]);
        assert_eq!(on.occurrence(1), Some(d(2027, 12, 1)));
        assert_eq!(on.occurrence(2), None);
        assert_eq!(due(&on, 2, 14, d(2030, 1, 1)), []);
    }

    #[test]
    fn an_occurrence_is_due_from_its_lead_day() {
        let quarterly = Recurrence::Every { months: 3, first: d(2027, 1, 15) };
        assert_eq!(due(&quarterly, 0, 14, d(2026, 12, 31)), []);
        assert_eq!(due(&quarterly, 0, 14, d(2027, 1, 1)), [(0, d(2027, 1, 15))]);
        // Already raised: nothing more until the next one's lead day.
        assert_eq!(due(&quarterly, 1, 14, d(2027, 3, 31)), []);
        assert_eq!(due(&quarterly, 1, 14, d(2027, 4, 1)), [(1, d(2027, 4, 15))]);
    }

    #[test]
    fn occurrences_missed_while_no_one_ran_are_raised_late() {
        let monthly = Recurrence::Every { months: 1, first: d(2027, 1, 10) };
        assert_eq!(
            due(&monthly, 0, 0, d(2027, 3, 10)),
            [(0, d(2027, 1, 10)), (1, d(2027, 2, 10)), (2, d(2027, 3, 10))]
        );
    }

    #[test]
    fn resuming_skips_what_fell_while_paused() {
        let quarterly = Recurrence::Every { months: 3, first: d(2027, 1, 15) };
        assert_eq!(quarterly.first_from(1, d(2027, 9, 1)), 3);
        assert_eq!(quarterly.first_from(1, d(2027, 4, 15)), 1);
    }

    #[test]
    fn recurrences_read_as_staff_say_them() {
        assert_eq!(Recurrence::Every { months: 12, first: d(2027, 1, 15) }.describe(), "Every year from 15 Jan 2027");
        assert_eq!(
            Recurrence::Every { months: 60, first: d(2027, 1, 15) }.describe(),
            "Every 5 years from 15 Jan 2027"
        );
        assert_eq!(
            Recurrence::Every { months: 3, first: d(2027, 1, 15) }.describe(),
            "Every 3 months from 15 Jan 2027"
        );
        let on = Recurrence::OnDates(vec![d(2027, 6, 1), d(2027, 9, 1), d(2027, 12, 1)]);
        assert_eq!(on.describe(), "On 1 Jun 2027, 1 Sep 2027 and 1 Dec 2027");
    }

    #[test]
    fn bad_recurrences_say_what_to_change() {
        let today = d(2027, 1, 1);
        let problems = Recurrence::Every { months: 0, first: d(2026, 12, 1) }.problems(today);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(Recurrence::OnDates(vec![]).problems(today).len() == 1);
        let too_many = Recurrence::OnDates((1..=25).map(|i| d(2027, 2, i)).collect());
        assert_eq!(too_many.problems(today), [RecurrenceProblem::Dates("give at most 24 dates".into())]);
        assert!(Recurrence::Every { months: 6, first: today }.problems(today).is_empty());
    }

    #[test]
    fn dates_are_sorted_once_each() {
        let on = Recurrence::OnDates(vec![d(2027, 9, 1), d(2027, 6, 1), d(2027, 9, 1)]).normalised();
        assert_eq!(on, Recurrence::OnDates(vec![d(2027, 6, 1), d(2027, 9, 1)]));
    }
}
