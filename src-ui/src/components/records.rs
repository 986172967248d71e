//! Parts the record screens share: choosing a landlord or tenant, a date or an amount
//! typed into a form, and a document's red / amber / green status.

use crate::components::day_input::DayInput;
use crate::ipc;
use chrono::NaiveDate;
use plumbline_domain::api::{CommandError, PersonOption};
use plumbline_domain::contractor::DocumentStatus;
use plumbline_domain::{MoneyMinor, Role, UserId, commands};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The active landlords or tenants, read once when the form opens.
#[hook]
pub fn use_people(role: Role) -> Option<Result<Vec<PersonOption>, CommandError>> {
    let people = use_state(|| None);
    {
        let people = people.clone();
        use_effect_with(role, move |role| {
            let role = *role;
            ipc::call_then(commands::ListPeople { role }, move |answer| people.set(Some(answer)));
        });
    }
    (*people).clone()
}

#[derive(Properties, PartialEq)]
pub struct PersonSelectProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub people: Option<Result<Vec<PersonOption>, CommandError>>,
    /// `UserId(0)`: no one chosen yet.
    pub chosen: UserId,
    pub on_choose: Callback<UserId>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

/// A labelled list of people to choose one from, by name and e-mail.
#[function_component]
pub fn PersonSelect(props: &PersonSelectProps) -> Html {
    let onchange = props.on_choose.reform(|e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        UserId(value.parse().unwrap_or(0))
    });
    let options = match &props.people {
        None => html! { <option value="0">{ "Loading…" }</option> },
        Some(Err(error)) => html! { <option value="0">{ &error.message }</option> },
        Some(Ok(people)) => html! {
            <>
                <option value="0" selected={props.chosen.0 == 0}>{ "Choose…" }</option>
                { for people.iter().map(|person| html! {
                    <option value={person.id.0.to_string()} selected={person.id == props.chosen}>
                        { format!("{} · {}", person.name, person.email) }
                    </option>
                }) }
            </>
        },
    };
    html! {
        <label class="field">{ &props.label }
            <select id={props.id.clone()} {onchange} aria-invalid={props.error.is_some().then_some("true")}>{ options }</select>
            if let Some(hint) = &props.hint {
                <span class="field-hint">{ hint }</span>
            }
            if let Some(message) = &props.error {
                <p class="field-error" role="alert">{ message }</p>
            }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct DateFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: Option<NaiveDate>,
    /// `None` when cleared.
    pub on_change: Callback<Option<NaiveDate>>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

/// A day, typed as dd/mm/yyyy.
#[function_component]
pub fn DateField(props: &DateFieldProps) -> Html {
    let on_change = props.on_change.reform(|day: String| day.parse().ok());
    let value = AttrValue::from(props.value.map(|d| d.to_string()).unwrap_or_default());
    html! {
        <label class="field">{ &props.label }
            <DayInput id={props.id.clone()} {value} {on_change} invalid={props.error.is_some()} />
            if let Some(hint) = &props.hint {
                <span class="field-hint">{ hint }</span>
            }
            if let Some(message) = &props.error {
                <p class="field-error" role="alert">{ message }</p>
            }
        </label>
    }
}

/// An amount as typed ("45", "£1,250.50"): the amount, or why it is not one.
pub fn parse_money(text: &str) -> Result<MoneyMinor, String> {
    if text.trim().is_empty() {
        return Ok(MoneyMinor::default());
    }
    MoneyMinor::parse(text).map_err(|err| err.to_string())
}

/// An amount as the field shows it: "45.00".
pub fn money_input(amount: MoneyMinor) -> String {
    let minor = amount.minor_units();
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// A document's red / amber / green pill, with its expiry.
pub fn document_pill(status: DocumentStatus, required: bool) -> Html {
    let (class, text) = match status {
        DocumentStatus::NotRecorded if required => ("bad", "None on record".to_owned()),
        DocumentStatus::NotRecorded => ("off", "—".to_owned()),
        DocumentStatus::Expired { on } => ("bad", format!("Expired {}", crate::format::day(on))),
        DocumentStatus::ExpiresSoon { on, days_left } => {
            ("warn", format!("{} · {}", crate::format::day(on), days_left_text(days_left)))
        }
        DocumentStatus::Valid { on } => ("ok", format!("to {}", crate::format::day(on))),
    };
    html! { <span class={classes!("pill", class)} data-rag={class}>{ text }</span> }
}

fn days_left_text(days: i64) -> String {
    match days {
        0 => "last day".to_owned(),
        1 => "1 day left".to_owned(),
        n => format!("{n} days left"),
    }
}
