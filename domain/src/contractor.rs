//! A contractor's insurance and licence: the red / amber / green status staff see, and
//! whether the contractor may be given work (SPEC "Contractors").

use crate::dates;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// From this many days before expiry a document shows amber (and the first reminder goes).
pub const AMBER_DAYS: i64 = 30;
/// Staff are reminded this many days before a document expires, the earliest first.
pub const REMINDER_DAYS: [i64; 2] = [30, 7];

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Document {
    Insurance,
    Licence,
}

impl Document {
    /// The stored name (`expiry_reminders.document`).
    pub fn as_str(self) -> &'static str {
        match self {
            Document::Insurance => "insurance",
            Document::Licence => "licence",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Document::Insurance => "Insurance",
            Document::Licence => "Licence",
        }
    }
}

/// Traffic-light status of one document on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentStatus {
    /// Nothing on record.
    NotRecorded,
    /// Red: expired on that day (the last valid day was before today).
    Expired { on: NaiveDate },
    /// Amber: valid through `on`, within [`AMBER_DAYS`].
    ExpiresSoon { on: NaiveDate, days_left: i64 },
    /// Green.
    Valid { on: NaiveDate },
}

impl DocumentStatus {
    /// A document is valid through its expiry day.
    pub fn of(expires_on: Option<NaiveDate>, today: NaiveDate) -> Self {
        let Some(on) = expires_on else { return DocumentStatus::NotRecorded };
        let days_left = (on - today).num_days();
        if days_left < 0 {
            DocumentStatus::Expired { on }
        } else if days_left <= AMBER_DAYS {
            DocumentStatus::ExpiresSoon { on, days_left }
        } else {
            DocumentStatus::Valid { on }
        }
    }
}

/// Why a contractor cannot be given work today, if they cannot. Insurance is required;
/// a licence only blocks once it has expired (not every trade needs one).
pub fn assignment_blocked(company: &str, insurance: DocumentStatus, licence: DocumentStatus) -> Option<String> {
    match (insurance, licence) {
        (DocumentStatus::NotRecorded, _) => Some(format!("{company} has no insurance on record")),
        (DocumentStatus::Expired { on }, _) => Some(format!("{company}'s insurance expired on {}", dates::day(on))),
        (_, DocumentStatus::Expired { on }) => Some(format!("{company}'s licence expired on {}", dates::day(on))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_document_is_green_then_amber_30_days_ahead_then_red_the_day_after_it_expires() {
        let expiry = day(2026, 3, 31);
        assert_eq!(DocumentStatus::of(Some(expiry), day(2026, 2, 28)), DocumentStatus::Valid { on: expiry });
        assert_eq!(
            DocumentStatus::of(Some(expiry), day(2026, 3, 1)),
            DocumentStatus::ExpiresSoon { on: expiry, days_left: 30 }
        );
        assert_eq!(
            DocumentStatus::of(Some(expiry), day(2026, 3, 31)),
            DocumentStatus::ExpiresSoon { on: expiry, days_left: 0 }
        );
        assert_eq!(DocumentStatus::of(Some(expiry), day(2026, 4, 1)), DocumentStatus::Expired { on: expiry });
        assert_eq!(DocumentStatus::of(None, day(2026, 4, 1)), DocumentStatus::NotRecorded);
    }

    #[test]
    fn missing_or_expired_insurance_and_an_expired_licence_block_assignment_with_the_reason() {
        let today = day(2026, 6, 1);
        let valid = DocumentStatus::of(Some(day(2027, 1, 1)), today);
        let expired = DocumentStatus::of(Some(day(2026, 5, 31)), today);
        let none = DocumentStatus::NotRecorded;
        assert_eq!(assignment_blocked("Acme", valid, none), None, "no licence on record is fine");
        assert_eq!(assignment_blocked("Acme", none, valid).as_deref(), Some("Acme has no insurance on record"));
        assert_eq!(
            assignment_blocked("Acme", expired, valid).as_deref(),
            Some("Acme's insurance expired on 31 May 2026")
        );
        assert_eq!(
            assignment_blocked("Acme", valid, expired).as_deref(),
            Some("Acme's licence expired on 31 May 2026")
        );
    }
}
