//! Compliance certificates a let property must hold (gas safety every 12 months, EICR
//! every 5 years, EPC every 10, smoke and CO alarms checked yearly) and any the agency
//! adds: how long each lasts, red / amber / green per certificate and per property, and
//! when the reminders and the renewal order are due.

use crate::contractor::DocumentStatus;
use chrono::{Datelike, Months, NaiveDate};

/// The kinds every agency starts with, and how many months each certificate lasts.
pub const STANDARD_KINDS: [(&str, u32); 4] =
    [("Gas safety", 12), ("EICR", 60), ("EPC", 120), ("Smoke and CO alarms", 12)];

/// Staff and the landlord are reminded this many days before a certificate runs out.
pub const REMINDER_DAYS: [i64; 2] = crate::contractor::REMINDER_DAYS;

/// The renewal order is raised this many days before a certificate runs out: with the
/// first reminder, in time to book the inspection.
pub const RENEWAL_LEAD_DAYS: i64 = 30;

/// The longest name an agency may give its own kind.
pub const MAX_KIND_CHARS: usize = 60;

/// How long a certificate of `kind` lasts, for the standard kinds.
pub fn standard_months(kind: &str) -> Option<u32> {
    STANDARD_KINDS.iter().find(|(name, _)| name.eq_ignore_ascii_case(kind.trim())).map(|(_, months)| *months)
}

/// The day a certificate issued on `issued` runs out, for a standard kind: its
/// anniversary (a gas safety record issued on 3 March 2027 lasts until 3 March 2028).
pub fn standard_expiry(kind: &str, issued: NaiveDate) -> Option<NaiveDate> {
    issued.checked_add_months(Months::new(standard_months(kind)?))
}

/// The sub-category a renewal order of `kind` is raised under, by name (the demo's
/// catalogue and the agency's default categories hold these).
pub fn renewal_work(kind: &str) -> &'static str {
    match kind.trim().to_lowercase().as_str() {
        "gas safety" => "Boiler",
        "eicr" => "Sockets and switches",
        "smoke and co alarms" => "Smoke and CO detectors",
        _ => "Cosmetic",
    }
}

/// A property's standing: the worst of its current certificates (none recorded: not
/// recorded).
pub fn property_status(certificates: impl IntoIterator<Item = DocumentStatus>) -> DocumentStatus {
    certificates.into_iter().max_by_key(|status| severity(*status)).unwrap_or(DocumentStatus::NotRecorded)
}

fn severity(status: DocumentStatus) -> (u8, i64) {
    match status {
        DocumentStatus::Valid { on } => (1, -i64::from(on.num_days_from_ce())),
        DocumentStatus::ExpiresSoon { days_left, .. } => (2, -days_left),
        DocumentStatus::Expired { on } => (3, -i64::from(on.num_days_from_ce())),
        DocumentStatus::NotRecorded => (0, 0),
    }
}

/// The reminders due today for a certificate running out on `expires_on`: each of
/// [`REMINDER_DAYS`] whose day has come and which the certificate has not yet passed.
pub fn reminders_due(expires_on: NaiveDate, today: NaiveDate) -> Vec<i64> {
    let days_left = (expires_on - today).num_days();
    if days_left < 0 {
        return Vec::new();
    }
    REMINDER_DAYS.into_iter().filter(|ahead| days_left <= *ahead).collect()
}

/// Whether a certificate running out on `expires_on` should have its renewal raised today.
pub fn renewal_due(expires_on: NaiveDate, today: NaiveDate) -> bool {
    (expires_on - today).num_days() <= RENEWAL_LEAD_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn standard_kinds_last_their_months() {
        assert_eq!(standard_expiry("Gas safety", d(2027, 3, 3)), Some(d(2028, 3, 3)));
        assert_eq!(standard_expiry("eicr", d(2027, 3, 3)), Some(d(2032, 3, 3)));
        assert_eq!(standard_expiry("EPC", d(2027, 3, 3)), Some(d(2037, 3, 3)));
        assert_eq!(standard_expiry("Legionella risk assessment", d(2027, 3, 3)), None);
    }

    #[test]
    fn a_property_stands_as_its_worst_certificate() {
        let today = d(2027, 1, 1);
        let valid = DocumentStatus::of(Some(d(2028, 1, 1)), today);
        let soon = DocumentStatus::of(Some(d(2027, 1, 20)), today);
        let expired = DocumentStatus::of(Some(d(2026, 12, 1)), today);
        assert_eq!(property_status([valid, soon]), soon);
        assert_eq!(property_status([valid, expired, soon]), expired);
        assert_eq!(property_status([]), DocumentStatus::NotRecorded);
    }

    #[test]
    fn reminders_fall_30_and_7_days_ahead() {
        let expires = d(2027, 2, 1);
        assert_eq!(reminders_due(expires, d(2027, 1, 1)), Vec::<i64>::new());
        assert_eq!(reminders_due(expires, d(2027, 1, 2)), [30]);
        assert_eq!(reminders_due(expires, d(2027, 1, 25)), [30, 7]);
        assert_eq!(reminders_due(expires, d(2027, 2, 2)), Vec::<i64>::new(), "none once it has run out");
        assert!(!renewal_due(expires, d(2027, 1, 1)));
        assert!(renewal_due(expires, d(2027, 1, 2)));
    }
}
