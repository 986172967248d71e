//! What a cell may hold: a date as people write them in the UK (`31/01/2026`,
//! `2026-01-31`, `31 Jan 2026`), an amount (`£1,250.00`), yes or no, a list of trades.

use chrono::NaiveDate;
use plumbline_domain::MoneyMinor;

/// Day-first, as UK spreadsheets write dates (`01/02/2026` is 1 February).
const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y", "%d/%m/%y"];

pub fn date(text: &str) -> Result<NaiveDate, String> {
    DATE_FORMATS
        .iter()
        .filter_map(|format| NaiveDate::parse_from_str(text, format).ok())
        // `%Y` reads "26" as the year 26: a two-digit year is for `%y`.
        .find(|day| (1900..=2200).contains(&chrono::Datelike::year(day)))
        .ok_or_else(|| "not a date: write it as 31/01/2026 or 2026-01-31".to_owned())
}

/// An optional date: blank is `None`.
pub fn optional_date(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() { Ok(None) } else { date(text).map(Some) }
}

/// An amount; blank is nothing. A currency sign, spaces and thousands separators are fine.
pub fn money(text: &str) -> Result<MoneyMinor, String> {
    if text.is_empty() {
        return Ok(MoneyMinor::default());
    }
    let cleaned: String = text.chars().filter(|c| !matches!(c, '£' | '€' | '$' | ' ')).collect();
    MoneyMinor::parse(&cleaned).map_err(|err| format!("not an amount ({err}): write it as 45.00"))
}

pub fn yes_no(text: &str) -> Result<bool, String> {
    match text.to_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Ok(false),
        "yes" | "y" | "true" | "1" | "preferred" => Ok(true),
        _ => Err("write yes or no".to_owned()),
    }
}

/// "Plumbing; Heating, Electrical" → each name. (Not `/`: a category may be called
/// "HVAC / Heating".)
pub fn list(text: &str) -> Vec<&str> {
    text.split([';', ',', '|', '\n']).map(str::trim).filter(|name| !name.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn dates_are_read_day_first_in_the_ways_people_write_them() {
        for text in
            ["31/01/2026", "2026-01-31", "31.01.2026", "31-01-2026", "31 Jan 2026", "31 January 2026", "31/01/26"]
        {
            assert_eq!(date(text), Ok(day(2026, 1, 31)), "{text}");
        }
        assert_eq!(date("01/02/2026"), Ok(day(2026, 2, 1)));
        assert!(date("31/02/2026").is_err());
        assert!(date("01/31/2026").is_err(), "month-first is refused, not guessed");
        assert_eq!(optional_date(""), Ok(None));
    }

    #[test]
    fn amounts_allow_signs_and_separators_but_not_negatives() {
        assert_eq!(money("£1,250.50").map(MoneyMinor::minor_units), Ok(125_050));
        assert_eq!(money("45").map(MoneyMinor::minor_units), Ok(4500));
        assert_eq!(money("").map(MoneyMinor::minor_units), Ok(0));
        assert!(money("-5").is_err());
        assert!(money("lots").is_err());
    }

    #[test]
    fn an_imported_amount_past_the_ceiling_is_refused_with_the_ceiling_named() {
        assert_eq!(money("1,000,000,000.00").map(MoneyMinor::minor_units), Ok(100_000_000_000));
        for huge in ["1,000,000,000.01", "92233720368547758.07", "9007199254740993"] {
            let refused = money(huge).unwrap_err();
            assert!(refused.contains("at most 1,000,000,000.00"), "{huge}: {refused}");
        }
    }

    #[test]
    fn lists_split_on_any_usual_separator() {
        assert_eq!(list("Plumbing; HVAC / Heating| Electrical,"), ["Plumbing", "HVAC / Heating", "Electrical"]);
        assert_eq!(yes_no("Yes"), Ok(true));
        assert!(yes_no("maybe").is_err());
    }
}
