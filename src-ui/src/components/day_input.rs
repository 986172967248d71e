//! A day typed the agency's way, dd/mm/yyyy, in place of the webview's date control,
//! which shows mm/dd/yyyy whatever the agency's locale. Callers hold the day as ISO
//! text ("2026-11-23", or empty), as the date control did.

use chrono::{Datelike, NaiveDate};
use plumbline_domain::dates;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// How a day is written and read here.
pub const DAY_FORMAT: &str = "dd/mm/yyyy";

/// "23/11/2026".
pub fn show_day(day: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", day.day(), day.month(), day.year())
}

/// A day as people type it: "23/11/2026", "23/11/26", "23.11.2026", "23-11-2026", or
/// ISO "2026-11-23" (what a pasted date or a test often is).
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if let Ok(day) = text.parse::<NaiveDate>() {
        return Ok(day);
    }
    let parts: Vec<&str> = text.split(['/', '.', '-']).map(str::trim).collect();
    let [day, month, year] = parts.as_slice() else {
        return Err(format!("Type the day as {DAY_FORMAT}"));
    };
    let number = |part: &str| part.parse::<u32>().ok();
    let (Some(day), Some(month), Some(year)) = (number(day), number(month), number(year)) else {
        return Err(format!("Type the day as {DAY_FORMAT}"));
    };
    let year = if year < 100 { 2000 + year } else { year };
    i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        .ok_or_else(|| format!("There is no day {text}"))
}

/// How a moment (an appointment's start) is written and read here.
pub const DAY_TIME_FORMAT: &str = "dd/mm/yyyy hh:mm";

/// A day and a time of day as typed ("15/01/2030 09:00", "15/1/30 9:30", or ISO
/// "2030-01-15T09:00"), as the ISO local text a date-time control would give.
pub fn parse_day_time(text: &str) -> Option<String> {
    let text = text.trim();
    let (day, time) = match text.split_once('T') {
        Some((day, time)) => (day.parse::<NaiveDate>().ok()?, time),
        None => {
            let (day, time) = text.rsplit_once([' ', ','])?;
            (parse_day(day.trim_end_matches(',')).ok()?, time.trim().trim_start_matches("at").trim())
        }
    };
    let time = dates::parse_time(time)?;
    Some(format!("{day}T{}", dates::hours_minutes(time)))
}

#[derive(Properties, PartialEq)]
pub struct DayInputProps {
    /// The day as ISO text, or empty for none.
    pub value: AttrValue,
    /// The ISO day once one is typed, or empty when cleared; not called while the text
    /// is not a day (the input says why instead).
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Its `data-field` / `data-testid`, for the forms' and tests' selectors.
    #[prop_or_default]
    pub field: Option<AttrValue>,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// The latest day allowed (a payment cannot be dated tomorrow).
    #[prop_or_default]
    pub max: Option<NaiveDate>,
    /// The form has a problem with it.
    #[prop_or_default]
    pub invalid: bool,
}

#[function_component]
pub fn DayInput(props: &DayInputProps) -> Html {
    let shown = |value: &str| value.parse::<NaiveDate>().map(show_day).unwrap_or_default();
    let text = use_state(|| shown(&props.value));
    let problem = use_state(|| None::<String>);
    {
        // A new value from outside (the form reset, a chip removed) replaces the text.
        let (text, problem) = (text.clone(), problem.clone());
        use_effect_with(props.value.clone(), move |value| {
            text.set(shown(value));
            problem.set(None);
        });
    }
    let onchange = {
        let (text, problem, on_change, max) = (text.clone(), problem.clone(), props.on_change.clone(), props.max);
        Callback::from(move |e: Event| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            let read = match typed.trim() {
                "" => Ok(None),
                typed => parse_day(typed).map(Some),
            };
            match read {
                Ok(Some(day)) if max.is_some_and(|max| day > max) => {
                    problem.set(Some(format!(
                        "{} is later than {}",
                        show_day(day),
                        max.map(show_day).unwrap_or_default()
                    )));
                    text.set(typed);
                }
                Ok(day) => {
                    problem.set(None);
                    text.set(day.map(show_day).unwrap_or_default());
                    on_change.emit(day.map(|day| day.to_string()).unwrap_or_default());
                }
                Err(message) => {
                    problem.set(Some(message));
                    text.set(typed);
                }
            }
        })
    };
    let invalid = props.invalid || problem.is_some();
    html! {
        <>
            <input type="text" inputmode="numeric" placeholder={DAY_FORMAT} size="10" class="day-input"
                   id={props.id.clone()} data-field={props.field.clone()} data-testid={props.testid.clone()}
                   value={(*text).clone()} {onchange} aria-invalid={invalid.then_some("true")} />
            if let Some(message) = &*problem {
                <span class="field-error day-error" role="alert">{ message }</span>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_day_is_read_day_first_as_a_uk_agency_writes_it() {
        assert_eq!(parse_day("02/12/2026"), Ok(day("2026-12-02")), "2 December, not 12 February");
        assert_eq!(parse_day(" 2/12/26 "), Ok(day("2026-12-02")));
        assert_eq!(parse_day("2.12.2026"), Ok(day("2026-12-02")));
        assert_eq!(parse_day("2026-12-02"), Ok(day("2026-12-02")));
        assert_eq!(show_day(day("2026-12-02")), "02/12/2026");
    }

    #[test]
    fn a_moment_is_read_day_first_with_a_24_hour_time() {
        assert_eq!(parse_day_time("15/01/2030 09:00").as_deref(), Some("2030-01-15T09:00"));
        assert_eq!(parse_day_time("15/1/30, 9:30").as_deref(), Some("2030-01-15T09:30"));
        assert_eq!(parse_day_time("2030-01-15T09:00").as_deref(), Some("2030-01-15T09:00"));
        assert_eq!(parse_day_time("15/01/2030"), None, "a visit needs its time");
        assert_eq!(parse_day_time("15/01/2030 25:00"), None);
        assert_eq!(parse_day_time("15/01/2030 09:60"), None);
        assert_eq!(parse_day_time("15/01/2030 09:00:00"), None, "minutes are the finest a visit is booked to");
        assert_eq!(parse_day_time("2030-01-15T9:05").as_deref(), Some("2030-01-15T09:05"));
        assert_eq!(parse_day_time("2030-02-30T09:00"), None);
    }

    #[test]
    fn what_is_not_a_day_says_so() {
        assert_eq!(parse_day("31/02/2026"), Err("There is no day 31/02/2026".to_owned()));
        assert_eq!(parse_day("next tuesday"), Err("Type the day as dd/mm/yyyy".to_owned()));
        assert_eq!(parse_day("12/2026"), Err("Type the day as dd/mm/yyyy".to_owned()));
    }
}
