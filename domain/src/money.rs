//! Money as integer minor units (pence), never floats.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-negative amount in the agency's currency, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct MoneyMinor(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount cannot be negative")]
    Negative,
    #[error("'{0}' is not an amount; write it like 250 or 249.99")]
    Unreadable(String),
    #[error("an amount may be at most 1,000,000,000.00")]
    TooLarge,
}

impl MoneyMinor {
    pub const ZERO: Self = Self(0);
    /// The most any one amount may be: 1,000,000,000.00. Far below 2^53 (the largest
    /// integer a webview's number holds exactly), so that even 90,000 orders at the
    /// ceiling sum to a figure the webview reads to the penny, and SQLite's `sum()` would
    /// need 92 million before it overflowed. The agency's own limit per order
    /// (`AgencyRules::max_order_amount`, by default 1,000,000.00) sits below it.
    pub const MAX: Self = Self(100_000_000_000);

    /// An amount known when compiling (a default, a limit); out of range fails the build.
    pub const fn from_minor_const(minor: i64) -> Self {
        assert!(minor >= 0 && minor <= Self::MAX.0, "an amount out of range");
        Self(minor)
    }

    pub fn minor_units(self) -> i64 {
        self.0
    }

    pub fn from_major(major: i64) -> Result<Self, MoneyError> {
        major.checked_mul(100).ok_or(MoneyError::TooLarge).and_then(Self::try_from)
    }

    /// Parses what a person types into an amount field: `250`, `249.9`, `1,249.99`, `£80`.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let unreadable = || MoneyError::Unreadable(text.to_owned());
        let cleaned: String =
            text.trim().trim_start_matches(['£', '€', '$']).trim_start().chars().filter(|c| *c != ',').collect();
        if cleaned.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let (major, minor) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if major.is_empty() || !digits_only(major) || minor.len() > 2 || !digits_only(minor) {
            return Err(unreadable());
        }
        let major: i64 = major.parse().map_err(|_| MoneyError::TooLarge)?;
        let minor: i64 = format!("{minor:0<2}").parse().map_err(|_| unreadable())?;
        major.checked_mul(100).and_then(|m| m.checked_add(minor)).ok_or(MoneyError::TooLarge).and_then(Self::try_from)
    }

    /// The sum, if it is still an amount (at most [`MoneyMinor::MAX`]).
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).and_then(|sum| Self::try_from(sum).ok())
    }
}

/// Every way in (the wire, a typed amount, a stored one) passes here, so no amount
/// outside `0..=MAX` exists.
impl TryFrom<i64> for MoneyMinor {
    type Error = MoneyError;
    fn try_from(minor: i64) -> Result<Self, Self::Error> {
        match minor {
            ..0 => Err(MoneyError::Negative),
            0..=MAX_MINOR => Ok(Self(minor)),
            _ => Err(MoneyError::TooLarge),
        }
    }
}

const MAX_MINOR: i64 = MoneyMinor::MAX.0;

/// A sum of amounts (a dashboard's spend or earnings), in minor units: wider than one
/// amount, but never past 2^53 - 1, the largest integer a webview's number holds exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct MoneySum(i64);

impl MoneySum {
    pub const ZERO: Self = Self(0);
    /// 2^53 - 1: 90,000 orders at [`MoneyMinor::MAX`] still fit.
    pub const MAX: Self = Self((1 << 53) - 1);

    pub fn minor_units(self) -> i64 {
        self.0
    }

    /// The sum in the currency with this ISO 4217 code.
    pub fn in_currency(self, code: &str) -> InCurrency<'_> {
        InCurrency { minor: self.0, code }
    }
}

impl TryFrom<i64> for MoneySum {
    type Error = MoneyError;
    fn try_from(minor: i64) -> Result<Self, Self::Error> {
        match minor {
            ..0 => Err(MoneyError::Negative),
            0..=SUM_MAX_MINOR => Ok(Self(minor)),
            _ => Err(MoneyError::TooLarge),
        }
    }
}

const SUM_MAX_MINOR: i64 = MoneySum::MAX.0;

impl From<MoneySum> for i64 {
    fn from(sum: MoneySum) -> Self {
        sum.0
    }
}

impl From<MoneyMinor> for MoneySum {
    fn from(amount: MoneyMinor) -> Self {
        Self(amount.0)
    }
}

impl From<MoneyMinor> for i64 {
    fn from(money: MoneyMinor) -> Self {
        money.0
    }
}

/// Formats as pounds with thousands separators: `£1,249.99` (the demo's and the UK's
/// currency; an agency's own is [`MoneyMinor::in_currency`]).
impl fmt::Display for MoneyMinor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.in_currency("GBP").fmt(f)
    }
}

/// An amount written in a currency: `£1,249.99`, `€80.00`, `CHF 80.00`.
#[derive(Debug, Clone, Copy)]
pub struct InCurrency<'a> {
    minor: i64,
    code: &'a str,
}

impl MoneyMinor {
    /// The amount in the currency with this ISO 4217 code (the agency's setting).
    pub fn in_currency(self, code: &str) -> InCurrency<'_> {
        InCurrency { minor: self.0, code }
    }
}

/// The sign written before an amount: `£` for GBP, `€` for EUR, `$` for the dollars,
/// else the code itself ("CHF").
pub fn currency_sign(code: &str) -> &str {
    match code {
        "GBP" => "£",
        "EUR" => "€",
        "USD" | "AUD" | "CAD" | "NZD" => "$",
        other => other,
    }
}

impl fmt::Display for InCurrency<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let minor = self.minor;
        let major = (minor / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in major.chars().enumerate() {
            if i > 0 && (major.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        let sign = currency_sign(self.code);
        let space = if sign.chars().count() > 1 { " " } else { "" };
        write!(f, "{sign}{space}{grouped}.{:02}", minor % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_amounts_to_pence() {
        assert_eq!(MoneyMinor::parse("250").map(i64::from), Ok(25_000));
        assert_eq!(MoneyMinor::parse("249.9").map(i64::from), Ok(24_990));
        assert_eq!(MoneyMinor::parse("£1,249.99").map(i64::from), Ok(124_999));
    }

    #[test]
    fn refuses_negative_and_unreadable_amounts() {
        assert_eq!(MoneyMinor::parse("-5"), Err(MoneyError::Negative));
        assert!(matches!(MoneyMinor::parse("12.345"), Err(MoneyError::Unreadable(_))));
        assert!(matches!(MoneyMinor::parse("ten"), Err(MoneyError::Unreadable(_))));
        assert_eq!(MoneyMinor::try_from(-1), Err(MoneyError::Negative));
    }

    #[test]
    fn crosses_the_wire_as_an_integer_of_minor_units() {
        assert_eq!(serde_json::to_string(&MoneyMinor(12_500)).unwrap(), "12500");
        assert_eq!(serde_json::from_str::<MoneyMinor>("12500").unwrap(), MoneyMinor(12_500));
        assert!(serde_json::from_str::<MoneyMinor>("-1").is_err(), "a negative amount is not an amount");
    }

    #[test]
    fn no_amount_passes_the_ceiling_however_it_arrives() {
        assert_eq!(MoneyMinor::try_from(100_000_000_000).map(i64::from), Ok(100_000_000_000));
        for minor in [100_000_000_001, (1 << 53) + 1, i64::MAX] {
            assert_eq!(MoneyMinor::try_from(minor), Err(MoneyError::TooLarge), "{minor}");
            assert!(serde_json::from_str::<MoneyMinor>(&minor.to_string()).is_err(), "{minor} off the wire");
        }
        assert_eq!(MoneyMinor::parse("1,000,000,000.01"), Err(MoneyError::TooLarge));
        assert_eq!(MoneyMinor::parse("92233720368547758.07"), Err(MoneyError::TooLarge));
        assert_eq!(MoneyMinor::from_major(1_000_000_001), Err(MoneyError::TooLarge));
        assert_eq!(MoneyMinor::MAX.checked_add(MoneyMinor(1)), None);
        assert_eq!(
            MoneyMinor::parse("1000000001").unwrap_err().to_string(),
            "an amount may be at most 1,000,000,000.00"
        );
    }

    #[test]
    fn the_ceiling_leaves_sums_exact_in_a_webview_and_clear_of_overflow() {
        // 90,000 orders at the ceiling still sum below 2^53; SQLite's sum() would need
        // 92 million to overflow.
        let ceiling = MoneyMinor::MAX.minor_units();
        assert!(ceiling.checked_mul(90_000).is_some_and(|sum| sum <= MoneySum::MAX.minor_units()));
        assert!(i64::MAX / ceiling > 90_000_000);
        assert_eq!(MoneySum::try_from(1 << 53), Err(MoneyError::TooLarge));
        assert_eq!(
            MoneySum::try_from(ceiling * 3).map(|sum| sum.in_currency("GBP").to_string()),
            Ok("£3,000,000,000.00".to_owned())
        );
        assert!(serde_json::from_str::<MoneySum>("9007199254740992").is_err());
    }

    #[test]
    fn displays_as_pounds() {
        assert_eq!(MoneyMinor(124_999).to_string(), "£1,249.99");
        assert_eq!(MoneyMinor(5).to_string(), "£0.05");
        assert_eq!(MoneyMinor(100_000_000).to_string(), "£1,000,000.00");
        assert_eq!(MoneyMinor(8_000).in_currency("EUR").to_string(), "€80.00");
        assert_eq!(MoneyMinor(123_456).in_currency("CHF").to_string(), "CHF 1,234.56");
        assert_eq!(MoneyMinor::parse("€80").map(i64::from), Ok(8_000));
    }
}
