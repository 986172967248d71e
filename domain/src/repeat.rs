//! A repeat fault: the same kind of problem (top-level category) at the same unit again
//! within six months, shown on the order and in triage ("3rd plumbing request at this
//! unit in 6 months") so staff look for the cause rather than patch it once more.
//! Rejected and cancelled requests are not faults, and do not count.

use crate::lifecycle::State;

/// How far back an earlier request counts, in days (six months).
pub const REPEAT_WINDOW_DAYS: i64 = 183;

/// The window as the sentence says it.
pub const REPEAT_WINDOW_MONTHS: u32 = 6;

/// Whether an earlier request in `state` counts as an earlier fault.
pub fn counts(state: State) -> bool {
    !state.was_abandoned()
}

/// "1st", "2nd", "3rd", "11th", "22nd".
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// What the order and triage say of a request with `earlier` earlier faults of its
/// `category` at its unit: "3rd plumbing request at this unit in 6 months".
pub fn headline(earlier: usize, category: &str) -> String {
    format!(
        "{} {} request at this unit in {REPEAT_WINDOW_MONTHS} months",
        ordinal(earlier + 1),
        category.to_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_english() {
        let read: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].into_iter().map(ordinal).collect();
        assert_eq!(read, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
    }

    #[test]
    fn the_headline_counts_this_request_too() {
        assert_eq!(headline(2, "Plumbing"), "3rd plumbing request at this unit in 6 months");
    }

    #[test]
    fn only_real_faults_count() {
        assert!(counts(State::Closed) && counts(State::New) && counts(State::InProgress));
        assert!(!counts(State::Rejected) && !counts(State::Cancelled));
    }
}
