//! What makes the agency's rules (the admin's Settings) wrong, every problem with its
//! field: the settings screen names them all at once, and the service refuses the same
//! ones before it stores anything.

use crate::Priority;
use crate::api::{AgencyRules, Field};
use crate::dates;
use crate::money::MoneyMinor;
use crate::sla::SlaSpan;
use crate::zone::{UnknownZone, Zone};
use chrono::{NaiveTime, Weekday};

/// The most one file may be: a long phone video.
pub const MAX_FILE_MB: i64 = 500;

/// The default largest amount per order: 1,000,000.00 in the agency's currency.
pub const DEFAULT_MAX_ORDER_AMOUNT: MoneyMinor = MoneyMinor::from_minor_const(100_000_000);
/// The default invoice overrun tolerance, in percent of the approved cost.
pub const DEFAULT_INVOICE_OVERRUN_PERCENT: i64 = 10;
/// Idle sign-out: the default and the range an admin may choose, in minutes.
pub const DEFAULT_IDLE_SIGN_OUT_MINUTES: i64 = 60;
pub const IDLE_SIGN_OUT_MINUTES: std::ops::RangeInclusive<i64> = 5..=1440;

/// A problem with the rules: the field it is about, and what to do.
pub type Problem = (Field, String);

/// Every problem with `rules`, in the order the screen shows their fields.
pub fn problems(rules: &AgencyRules) -> Vec<Problem> {
    let mut found = Vec::new();
    if rules.name.trim().is_empty() {
        found.push((Field::Agency, "enter the agency's name".to_owned()));
    }
    let currency = rules.currency.trim();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        found.push((Field::Currency, format!("'{}' is not a currency code such as GBP or EUR", rules.currency)));
    }
    let zone = rules.time_zone.trim();
    if !Zone::is_known(zone) {
        found.push((Field::TimeZone, UnknownZone(zone.to_owned()).to_string()));
    }
    if let Err(message) = working_days(&rules.working_days) {
        found.push((Field::WorkingDays, message));
    }
    found.extend(working_hours_problems(rules));
    found.extend(rules.sla.iter().flat_map(|row| {
        [span_problem(row.priority, "respond", row.respond), span_problem(row.priority, "resolve", row.resolve)]
            .into_iter()
            .flatten()
            .map(|message| (Field::Sla, message))
    }));
    if !(1..=90).contains(&rules.auto_close_days) {
        found.push((Field::AutoCloseDays, "auto-close after 1 to 90 days".to_owned()));
    }
    if !(1..=MAX_FILE_MB).contains(&rules.max_file_mb) {
        found.push((Field::Files, format!("a file may be 1 to {MAX_FILE_MB} MB")));
    } else if rules.max_order_mb < rules.max_file_mb || rules.max_order_mb > 20 * MAX_FILE_MB {
        let message = format!("an order's files may total {} to {} MB", rules.max_file_mb, 20 * MAX_FILE_MB);
        found.push((Field::Files, message));
    }
    found.extend(money_problems(rules));
    if !IDLE_SIGN_OUT_MINUTES.contains(&rules.idle_sign_out_minutes) {
        let (least, most) = (IDLE_SIGN_OUT_MINUTES.start(), IDLE_SIGN_OUT_MINUTES.end());
        found.push((Field::IdleSignOut, format!("sign out after {least} to {most} minutes idle")));
    }
    let escalation_email = rules.escalation_email.trim();
    if !escalation_email.is_empty() {
        // The outbox takes only what `mail::looks_like_address` does: an emergency's
        // e-mail must never be refused when it is raised.
        match crate::account::normalise_email(escalation_email) {
            Err(why) => found.push((Field::EscalationEmail, why.to_lowercase())),
            Ok(_) if !crate::mail::looks_like_address(escalation_email) => {
                found.push((Field::EscalationEmail, "that is not an e-mail address, like name@example.com".to_owned()))
            }
            Ok(_) => {}
        }
    }
    found
}

fn money_problems(rules: &AgencyRules) -> Vec<Problem> {
    let mut found = Vec::new();
    if rules.max_order_amount == MoneyMinor::ZERO {
        let most = MoneyMinor::MAX.in_currency(rules.currency.trim());
        found.push((
            Field::MaxOrderAmount,
            format!("the largest amount per order must be more than 0 (at most {most})"),
        ));
    }
    if !(0..=100).contains(&rules.invoice_overrun_percent) {
        found.push((Field::InvoiceOverrun, "an invoice may go over the approved cost by 0 to 100%".to_owned()));
    }
    found
}

/// The working days in week order, each once ("Mon", "Tue"…), or why they are not.
pub fn working_days(days: &[String]) -> Result<Vec<Weekday>, String> {
    let mut parsed = Vec::new();
    for day in days {
        let weekday: Weekday = day.trim().parse().map_err(|_| format!("'{day}' is not a day of the week"))?;
        parsed.push(weekday);
    }
    parsed.sort_by_key(|d| d.num_days_from_monday());
    parsed.dedup();
    if parsed.is_empty() {
        return Err("choose at least one working day".to_owned());
    }
    Ok(parsed)
}

/// A time of day as "09:00".
pub fn time_of_day(text: &str) -> Result<NaiveTime, String> {
    dates::parse_time(text).ok_or_else(|| format!("'{text}' is not a time such as 09:00"))
}

fn working_hours_problems(rules: &AgencyRules) -> Vec<Problem> {
    match (time_of_day(&rules.day_start), time_of_day(&rules.day_end)) {
        (Ok(start), Ok(end)) if start >= end => {
            vec![(Field::DayEnd, format!("the working day must end after it starts ({})", dates::hours_minutes(start)))]
        }
        (start, end) => [(Field::DayStart, start.err()), (Field::DayEnd, end.err())]
            .into_iter()
            .filter_map(|(field, problem)| problem.map(|message| (field, message)))
            .collect(),
    }
}

fn span_problem(priority: Priority, clock: &str, span: SlaSpan) -> Option<String> {
    let (value, most, unit) = match span {
        SlaSpan::Hours(h) => (h, 24 * 30, "hours"),
        SlaSpan::Days(d) => (d, 90, "days"),
        SlaSpan::BusinessDays(d) => (d, 60, "working days"),
    };
    (value == 0 || value > most).then(|| format!("{} {clock} target: 1 to {most} {unit}", priority.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use crate::api::{SlaTargetRow, WebPortal};

    fn valid() -> AgencyRules {
        AgencyRules {
            name: "Harbour Lettings".into(),
            currency: "GBP".into(),
            time_zone: "Europe/London".into(),
            working_days: vec!["Mon".into(), "Fri".into()],
            day_start: "09:00".into(),
            day_end: "17:30".into(),
            bank_holidays: Vec::new(),
            sla: vec![SlaTargetRow {
                priority: Priority::Urgent,
                respond: SlaSpan::Hours(4),
                resolve: SlaSpan::BusinessDays(3),
            }],
            auto_close_days: 7,
            tenants_may_cancel_after_accept: false,
            escalation_contact: String::new(),
            escalation_email: String::new(),
            max_file_mb: 25,
            max_order_mb: 200,
            max_order_amount: DEFAULT_MAX_ORDER_AMOUNT,
            invoice_overrun_percent: DEFAULT_INVOICE_OVERRUN_PERCENT,
            idle_sign_out_minutes: DEFAULT_IDLE_SIGN_OUT_MINUTES,
            web_portal: WebPortal::default(),
        }
    }

    #[test]
    fn the_web_portal_opens_to_tenants_and_contractors_by_default() {
        let portal = WebPortal::default();
        assert!(portal.allows(Role::Tenant) && portal.allows(Role::Contractor));
        assert!(!portal.allows(Role::Staff) && !portal.allows(Role::Admin) && !portal.allows(Role::Landlord));
        assert!(WebPortal { staff: true, ..portal }.allows(Role::Admin), "admins are staff here");
        assert_eq!(portal.describe(), "contractors, tenants");
        assert_eq!(WebPortal { contractors: false, tenants: false, ..portal }.describe(), "no one");
    }

    #[test]
    fn sound_rules_have_no_problem() {
        assert_eq!(problems(&valid()), Vec::new());
    }

    #[test]
    fn every_problem_is_named_at_once_each_with_its_field() {
        let rules = AgencyRules {
            currency: "pounds".into(),
            working_days: vec![],
            day_start: "9am".into(),
            sla: vec![SlaTargetRow {
                priority: Priority::Urgent,
                respond: SlaSpan::Hours(0),
                resolve: SlaSpan::Days(91),
            }],
            auto_close_days: 0,
            ..valid()
        };
        let fields: Vec<Field> = problems(&rules).into_iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [Field::Currency, Field::WorkingDays, Field::DayStart, Field::Sla, Field::Sla, Field::AutoCloseDays]
        );
    }

    #[test]
    fn money_limits_and_idle_sign_out_are_checked_each_with_its_field() {
        let rules = AgencyRules {
            max_order_amount: MoneyMinor::ZERO,
            invoice_overrun_percent: 101,
            idle_sign_out_minutes: 4,
            ..valid()
        };
        let fields: Vec<Field> = problems(&rules).into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, [Field::MaxOrderAmount, Field::InvoiceOverrun, Field::IdleSignOut]);
        let negative = AgencyRules { invoice_overrun_percent: -1, idle_sign_out_minutes: 1441, ..valid() };
        assert_eq!(problems(&negative).len(), 2);
        let edges = AgencyRules { invoice_overrun_percent: 0, idle_sign_out_minutes: 5, ..valid() };
        assert_eq!(problems(&edges), Vec::new());
        let edges = AgencyRules {
            max_order_amount: MoneyMinor::MAX,
            invoice_overrun_percent: 100,
            idle_sign_out_minutes: 1440,
            ..valid()
        };
        assert_eq!(problems(&edges), Vec::new());
    }

    #[test]
    fn the_working_day_ends_after_it_starts() {
        let rules = AgencyRules { day_start: "18:00".into(), day_end: "09:00".into(), ..valid() };
        assert_eq!(problems(&rules), [(Field::DayEnd, "the working day must end after it starts (18:00)".to_owned())]);
    }
}
