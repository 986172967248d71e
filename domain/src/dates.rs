//! Calendar days and times of day as people write and read them, on screen, in reports
//! and on paper alike. Written and read here rather than by chrono's strftime `format`
//! and `parse_from_str`, whose parser and formatter the UI's wasm would otherwise carry
//! for these few shapes alone (#17).

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A day as the screens write one: "15 Jan 2027".
pub fn day(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTHS[date.month0() as usize], date.year())
}

/// With its weekday: "Fri 15 Jan 2027".
pub fn weekday_day(date: NaiveDate) -> String {
    format!("{} {}", date.weekday(), day(date))
}

/// A time of day on the 24-hour clock: "09:00".
pub fn hours_minutes(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// "09:00" or "9:00" as a time of day; `None` for anything else ("9", "9:00:00", "25:00").
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let (hour, minute) = text.trim().split_once(':')?;
    NaiveTime::from_hms_opt(two_digits(hour)?, two_digits(minute)?, 0)
}

/// One or two digits as their number.
fn two_digits(part: &str) -> Option<u32> {
    let digits = (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| part.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_day_is_written_day_month_year() {
        assert_eq!(day(date("2027-01-15")), "15 Jan 2027");
        assert_eq!(day(date("2026-09-07")), "7 Sep 2026");
        assert_eq!(day(date("2026-12-31")), "31 Dec 2026");
        assert_eq!(weekday_day(date("2026-12-25")), "Fri 25 Dec 2026");
    }

    #[test]
    fn a_time_of_day_is_read_and_written_on_the_24_hour_clock() {
        assert_eq!(parse_time("09:00"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(parse_time(" 9:30 "), NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(parse_time("23:59"), NaiveTime::from_hms_opt(23, 59, 0));
        for wrong in ["", "9", "24:00", "09:60", "09:00:00", "009:00", "+9:00", "9:0a", "nine"] {
            assert_eq!(parse_time(wrong), None, "{wrong:?}");
        }
        assert_eq!(hours_minutes(NaiveTime::from_hms_opt(7, 5, 0).unwrap()), "07:05");
    }
}
