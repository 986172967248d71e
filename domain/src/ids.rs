//! Identifiers and the human-facing work-order reference (`PL-000123`).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A work order's row id; its reference is derived from it.
    WorkOrderId
);
id_type!(
    /// Any user: staff, admin, landlord, contractor or tenant.
    UserId
);
id_type!(PropertyId);
id_type!(UnitId);
id_type!(TenancyId);
id_type!(ContractorId);
id_type!(CategoryId);
id_type!(
    /// A contractor's quote for an order (`crate::quote`).
    QuoteId
);
id_type!(
    /// A compliance certificate (`crate::compliance`).
    CertificateId
);
id_type!(
    /// A planned-maintenance schedule (`crate::planned`).
    ScheduleId
);
id_type!(
    /// One file attached to one order (the same content attached twice is two).
    AttachmentId
);
id_type!(
    /// One message, on an order's thread or a tenant's direct thread; ids grow with
    /// time, so "read up to" is one id.
    MessageId
);

const REFERENCE_PREFIX: &str = "PL-";
const REFERENCE_DIGITS: usize = 6;

/// The reference staff and tenants quote on the phone: `PL-` and at least six digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Reference(WorkOrderId);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a work-order reference; references look like PL-000123")]
pub struct ReferenceError(String);

impl Reference {
    pub fn of(id: WorkOrderId) -> Self {
        Self(id)
    }

    pub fn id(self) -> WorkOrderId {
        self.0
    }

    /// Whether `word`, lower-case as search reads words, starts the letters every
    /// reference begins with ("p", "pl"): a word that every order holds.
    pub fn letters_start_with(word: &str) -> bool {
        let letters = REFERENCE_PREFIX.trim_end_matches('-').to_ascii_lowercase();
        !word.is_empty() && letters.starts_with(word)
    }

    /// Accepts `PL-000123`, `pl-123` and a bare `123`, as people type them.
    pub fn parse(text: &str) -> Result<Self, ReferenceError> {
        let trimmed = text.trim();
        let digits = trimmed
            .get(..REFERENCE_PREFIX.len())
            .filter(|prefix| prefix.eq_ignore_ascii_case(REFERENCE_PREFIX))
            .map_or(trimmed, |_| &trimmed[REFERENCE_PREFIX.len()..]);
        let valid = !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit());
        match digits.parse::<i64>() {
            Ok(n) if valid && n > 0 => Ok(Self(WorkOrderId(n))),
            _ => Err(ReferenceError(text.to_owned())),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{REFERENCE_PREFIX}{:0width$}", self.0.0, width = REFERENCE_DIGITS)
    }
}

impl From<Reference> for String {
    fn from(reference: Reference) -> Self {
        reference.to_string()
    }
}

impl TryFrom<String> for Reference {
    type Error = ReferenceError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_is_zero_padded_to_six_digits() {
        assert_eq!(Reference::of(WorkOrderId(123)).to_string(), "PL-000123");
        assert_eq!(Reference::of(WorkOrderId(1_234_567)).to_string(), "PL-1234567");
    }

    #[test]
    fn reference_parses_what_people_type() {
        for text in ["PL-000123", "pl-123", " 123 ", "PL-123"] {
            assert_eq!(Reference::parse(text).map(Reference::id), Ok(WorkOrderId(123)), "{text}");
        }
    }

    #[test]
    fn reference_rejects_garbage() {
        for text in ["", "PL-", "PL-12a", "-5", "PL-0", "XX-123", "PL-9999999999999"] {
            assert!(Reference::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn only_the_start_of_the_references_letters_is_held_by_every_order() {
        assert!(Reference::letters_start_with("pl") && Reference::letters_start_with("p"));
        for word in ["", "plumbing", "l", "pl0"] {
            assert!(!Reference::letters_start_with(word), "{word}");
        }
    }
}
