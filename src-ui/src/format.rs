//! Times are stored in UTC and shown in the computer's local time; amounts are written
//! in the agency's currency.

use chrono::{DateTime, Utc};
use plumbline_domain::MoneySum;
/// Calendar days (a certificate's expiry, a payment's date), which no zone moves.
pub use plumbline_domain::dates::{day, weekday_day};
use plumbline_domain::money::currency_sign;
use std::cell::RefCell;

thread_local! {
    /// The signed-in agency's currency: one agency per window, set as its desk opens
    /// ([`set_currency`]), so every amount on every screen reads the same.
    static CURRENCY: RefCell<String> = RefCell::new("GBP".to_owned());
}

pub fn set_currency(code: &str) {
    CURRENCY.with(|currency| code.clone_into(&mut currency.borrow_mut()));
}

/// "£1,249.99", "€80.00" in the agency's currency: an amount or a dashboard's sum.
pub fn money(amount: impl Into<MoneySum>) -> String {
    let amount: MoneySum = amount.into();
    CURRENCY.with(|currency| amount.in_currency(&currency.borrow()).to_string())
}

/// "£", "€", "CHF": what an amount field's label shows.
pub fn currency() -> String {
    CURRENCY.with(|currency| currency_sign(&currency.borrow()).to_owned())
}

fn js_date(at: DateTime<Utc>) -> js_sys::Date {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64))
}

fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

thread_local! {
    // One formatter each, made once: `Date.toLocaleString` with options builds a new
    // `Intl.DateTimeFormat` per call, which cost about 2 ms a row on the 100k list (#17).
    static DATE_TIME: js_sys::Function =
        formatter(&[("day", "numeric"), ("month", "short"), ("year", "numeric"), ("hour", "2-digit"), ("minute", "2-digit")]);
    static DATE: js_sys::Function = formatter(&[("day", "numeric"), ("month", "short"), ("year", "numeric")]);
    static TIME: js_sys::Function = formatter(&[("hour", "2-digit"), ("minute", "2-digit")]);
}

/// A British-English formatter of the computer's zone, as its bound `format` function.
fn formatter(fields: &[(&str, &str)]) -> js_sys::Function {
    let options = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    let locales = js_sys::Array::of1(&"en-GB".into());
    js_sys::Intl::DateTimeFormat::new(&locales, &options).format()
}

fn format_with(formatter: &'static std::thread::LocalKey<js_sys::Function>, at: DateTime<Utc>) -> String {
    formatter
        .with(|format| format.call1(&wasm_bindgen::JsValue::NULL, &js_date(at)))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// "23 Nov 2026, 09:30" in the local zone.
pub fn local_date_time(at: DateTime<Utc>) -> String {
    format_with(&DATE_TIME, at)
}

/// "23 Nov 2026" in the local zone.
pub fn local_date(at: DateTime<Utc>) -> String {
    format_with(&DATE, at)
}

/// "09:00" local.
pub fn local_time(at: DateTime<Utc>) -> String {
    format_with(&TIME, at)
}

/// A two-line cell's tooltip: both lines whole, as a list row may cut them short.
pub fn two_lines(first: &str, second: &str) -> String {
    format!("{first}\n{second}")
}

/// A message as a sentence: the core's messages start in lower case so they can be
/// quoted mid-sentence; shown on their own, they start with a capital.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Whether `at` has passed on this computer's clock.
pub fn is_past(at: DateTime<Utc>) -> bool {
    at.timestamp_millis() <= now_millis()
}

/// How long ago: "12 min", "5 h", "3 d", "7 wk".
pub fn age(since: DateTime<Utc>) -> String {
    let minutes = (now_millis() - since.timestamp_millis()).max(0) / 60_000;
    match minutes {
        0..60 => format!("{minutes} min"),
        60..2_880 => format!("{} h", minutes / 60),
        2_880..20_160 => format!("{} d", minutes / 1_440),
        _ => format!("{} wk", minutes / 10_080),
    }
}

/// Time left until `due` ("in 3 h") or past it ("4 h overdue").
pub fn until(due: DateTime<Utc>) -> String {
    let minutes = (due.timestamp_millis() - now_millis()) / 60_000;
    let span = |m: i64| match m {
        0..120 => format!("{m} min"),
        120..2_880 => format!("{} h", m / 60),
        _ => format!("{} d", m / 1_440),
    };
    if minutes >= 0 { format!("in {}", span(minutes)) } else { format!("{} overdue", span(-minutes)) }
}

/// "12,345".
pub fn thousands(n: u64) -> String {
    plumbline_domain::numbers::thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A local "2026-11-24T09:00" (as date-time inputs give it), as UTC.
pub fn local_to_utc(value: &str) -> Option<DateTime<Utc>> {
    let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    if value.is_empty() || millis.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

/// Local midnight at the start of a date input's "2026-11-01", as UTC.
pub fn local_day_start(date: &str) -> Option<DateTime<Utc>> {
    if date.is_empty() {
        return None;
    }
    local_to_utc(&format!("{date}T00:00"))
}

/// The local date of `at`, as a date input's "2026-11-01".
pub fn local_date_input(at: DateTime<Utc>) -> String {
    let date = js_date(at);
    format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
}

/// Today's local date, as a date input's "2026-11-23".
pub fn today_input() -> String {
    local_date_input(DateTime::from_timestamp_millis(now_millis()).unwrap_or_default())
}

/// The local date of an exclusive end (next midnight): the last day it includes.
pub fn local_last_day_input(until: DateTime<Utc>) -> String {
    local_date_input(until - chrono::Duration::hours(12))
}

/// The local midnight after a date input's day, as UTC: the exclusive end of "to 2026-11-30".
pub fn local_day_end(date: &str) -> Option<DateTime<Utc>> {
    let start = local_day_start(date)?;
    // Via the local calendar, so a clock change that day still ends at local midnight.
    let next = js_date(start + chrono::Duration::hours(36));
    next.set_hours(0);
    next.set_minutes(0);
    next.set_seconds(0);
    next.set_milliseconds(0);
    DateTime::from_timestamp_millis(next.get_time() as i64)
}
