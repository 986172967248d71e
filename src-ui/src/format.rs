//! Times are stored in UTC and shown in the computer's local time.

use chrono::{DateTime, Utc};

fn js_date(at: DateTime<Utc>) -> js_sys::Date {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64))
}

fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// "23 Nov 2026, 09:30" in the local zone.
pub fn local_date_time(at: DateTime<Utc>) -> String {
    let options = js_sys::Object::new();
    for (key, value) in
        [("day", "numeric"), ("month", "short"), ("year", "numeric"), ("hour", "2-digit"), ("minute", "2-digit")]
    {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_date(at).to_locale_string("en-GB", &options).into()
}

/// "09:00" local.
pub fn local_time(at: DateTime<Utc>) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("hour", "2-digit"), ("minute", "2-digit")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_date(at).to_locale_time_string_with_options("en-GB", &options).into()
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

pub fn money(minor: i64) -> String {
    plumbline_domain::MoneyMinor::try_from(minor).map(|m| m.to_string()).unwrap_or_else(|_| "—".to_owned())
}
