//! Priority from the category default, the tenant's severity and emergency signals in
//! the text; each contributing reason is kept so staff can see why.

use crate::priority::{Priority, Severity};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A phrase in a request that marks it as urgent whatever the tenant chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal {
    pub phrases: &'static [&'static str],
    pub label: &'static str,
    pub priority: Priority,
    pub season: Season,
    /// What the tenant should do until help arrives, said when they report it.
    pub safety: &'static str,
}

/// Some signals matter only in part of the year (no heating in winter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    AllYear,
    /// October to March, when the UK heating season runs.
    Winter,
    /// June to August.
    Summer,
}

impl Season {
    fn contains(self, date: NaiveDate) -> bool {
        match self {
            Season::AllYear => true,
            Season::Winter => matches!(date.month(), 10..=12 | 1..=3),
            Season::Summer => matches!(date.month(), 6..=8),
        }
    }
}

/// The emergency signals of SPEC "Triage".
pub const SIGNALS: &[Signal] = &[
    Signal {
        phrases: &["gas smell", "smell gas", "smell of gas", "smells of gas", "gas leak", "smelling gas"],
        label: "gas smell",
        priority: Priority::Emergency,
        season: Season::AllYear,
        safety: "Do not use light switches, flames or anything electrical. Open doors and windows, turn the gas off at the meter if you can do so safely, leave the property, and call the gas emergency line on 0800 111 999.",
    },
    Signal {
        phrases: &["flooding", "flooded", "active leak", "water pouring", "burst pipe", "water coming through"],
        label: "active leak or flooding",
        priority: Priority::Emergency,
        season: Season::AllYear,
        safety: "Turn off the water at the stopcock (usually under the kitchen sink). Keep away from electrics near the water, and switch off the electricity at the consumer unit if water is near sockets or lights.",
    },
    Signal {
        phrases: &[
            "no heat",
            "no heating",
            "heating not working",
            "heating is not working",
            "boiler not working",
            "no hot water",
        ],
        label: "no heat in winter",
        priority: Priority::Emergency,
        season: Season::Winter,
        safety: "Keep one room warm with any heaters you have, wrap up, and check the boiler's display for a fault code to tell the engineer.",
    },
    Signal {
        phrases: &["no cooling", "no air conditioning", "ac not working", "air conditioning not working"],
        label: "no cooling in summer",
        priority: Priority::Emergency,
        season: Season::Summer,
        safety: "Keep blinds closed, open windows at night, and drink plenty of water.",
    },
    Signal {
        phrases: &["sparking", "sparks", "burning smell", "smell of burning", "smoke coming"],
        label: "sparking or burning smell",
        priority: Priority::Emergency,
        season: Season::AllYear,
        safety: "Switch off the electricity at the consumer unit if you can do so safely. Do not touch anything that is sparking or hot. If there is smoke or fire, leave and call 999.",
    },
    Signal {
        phrases: &["smoke alarm", "smoke detector", "fire alarm", "carbon monoxide", "co alarm"],
        label: "smoke, fire or CO alarm fault",
        priority: Priority::Emergency,
        season: Season::AllYear,
        safety: "If an alarm is sounding, or anyone feels dizzy or sick, open windows, leave the property and call 999. If you can, turn off gas appliances.",
    },
    Signal {
        phrases: &[
            "broken lock",
            "lock is broken",
            "can't lock",
            "cannot lock",
            "broken window",
            "window is broken",
            "door won't lock",
        ],
        label: "broken lock or window",
        priority: Priority::Emergency,
        season: Season::AllYear,
        safety: "Keep valuables out of sight and stay somewhere safe. If someone may have broken in, call the police on 999.",
    },
];

/// Why an order has its priority; shown in the triage queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TriageReason {
    CategoryDefault(Priority),
    TenantSeverity(Severity),
    Signal { label: String, priority: Priority },
    StaffOverride { priority: Priority, reason: String },
}

impl std::fmt::Display for TriageReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TriageReason::CategoryDefault(p) => write!(f, "category default {}", p.as_str()),
            TriageReason::TenantSeverity(s) => write!(f, "tenant said {}", s.as_str()),
            TriageReason::Signal { label, priority } => write!(f, "mentions {label} → {}", priority.as_str()),
            TriageReason::StaffOverride { priority, reason } => {
                write!(f, "set to {} by staff: {reason}", priority.as_str())
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triage {
    pub priority: Priority,
    pub reasons: Vec<TriageReason>,
}

impl Triage {
    /// What to do until help arrives, for each emergency signal the request mentions
    /// (none for an agency's own keywords, or a request that is not an emergency).
    pub fn safety_advice(&self) -> Vec<&'static str> {
        self.reasons
            .iter()
            .filter_map(|reason| match reason {
                TriageReason::Signal { label, .. } => SIGNALS.iter().find(|s| s.label == label),
                TriageReason::CategoryDefault(_)
                | TriageReason::TenantSeverity(_)
                | TriageReason::StaffOverride { .. } => None,
            })
            .map(|signal| signal.safety)
            .collect()
    }

    /// "tenant said Urgent; mentions gas smell → Emergency"
    pub fn explanation(&self) -> String {
        self.reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

/// The request facts triage reads; `today` is the agency-local date (for seasonal signals).
#[derive(Debug, Clone, Copy)]
pub struct TriageInput<'a> {
    pub category_default: Priority,
    pub severity: Severity,
    pub text: &'a str,
    pub extra_keywords: &'a [String],
    pub today: NaiveDate,
}

/// The most urgent of the category default, the tenant's severity and any signal.
pub fn triage(input: TriageInput<'_>) -> Triage {
    let text = input.text.to_lowercase();
    let mut reasons =
        vec![TriageReason::CategoryDefault(input.category_default), TriageReason::TenantSeverity(input.severity)];
    for signal in SIGNALS {
        if signal.season.contains(input.today) && signal.phrases.iter().any(|p| text.contains(p)) {
            reasons.push(TriageReason::Signal { label: signal.label.to_owned(), priority: signal.priority });
        }
    }
    for keyword in input.extra_keywords {
        let keyword = keyword.trim().to_lowercase();
        if !keyword.is_empty() && text.contains(&keyword) {
            reasons.push(TriageReason::Signal { label: keyword, priority: Priority::Emergency });
        }
    }
    let priority = reasons.iter().map(reason_priority).fold(Priority::Low, Priority::most_urgent);
    // Keep only what pushed the priority to where it is, so the reason reads as one.
    reasons.retain(|r| reason_priority(r) == priority);
    Triage { priority, reasons }
}

fn reason_priority(reason: &TriageReason) -> Priority {
    match reason {
        TriageReason::CategoryDefault(p) => *p,
        TriageReason::TenantSeverity(s) => s.as_priority(),
        TriageReason::Signal { priority, .. } | TriageReason::StaffOverride { priority, .. } => *priority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str, severity: Severity, month: u32) -> TriageInput<'_> {
        TriageInput {
            category_default: Priority::Routine,
            severity,
            text,
            extra_keywords: &[],
            today: NaiveDate::from_ymd_opt(2026, month, 15).unwrap(),
        }
    }

    #[test]
    fn a_gas_smell_is_an_emergency_whatever_the_tenant_chose() {
        let t = triage(input("Strong smell of gas in the kitchen", Severity::Low, 7));
        assert!(t.safety_advice().iter().any(|step| step.contains("0800 111 999")), "the gas emergency line");
        assert_eq!(t.priority, Priority::Emergency);
        assert_eq!(t.explanation(), "mentions gas smell → Emergency");
    }

    #[test]
    fn a_running_toilet_stays_routine() {
        let t = triage(input("Toilet keeps running after flushing", Severity::Routine, 1));
        assert_eq!(t.priority, Priority::Routine);
    }

    #[test]
    fn no_heating_is_an_emergency_only_in_winter() {
        assert_eq!(triage(input("No heating since yesterday", Severity::Urgent, 1)).priority, Priority::Emergency);
        assert_eq!(triage(input("No heating since yesterday", Severity::Urgent, 7)).priority, Priority::Urgent);
    }

    #[test]
    fn the_tenants_severity_can_raise_the_category_default() {
        let t = triage(input("Cupboard door hanging off", Severity::Urgent, 5));
        assert_eq!(t.priority, Priority::Urgent);
        assert_eq!(t.reasons, vec![TriageReason::TenantSeverity(Severity::Urgent)]);
    }

    #[test]
    fn category_keywords_count_as_signals() {
        let keywords = vec!["Legionella".to_owned()];
        let t =
            triage(TriageInput { extra_keywords: &keywords, ..input("possible legionella in tank", Severity::Low, 4) });
        assert_eq!(t.priority, Priority::Emergency);
    }
}
