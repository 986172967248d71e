//! The agency's rules (an admin): SLA targets, the working week, hours, time zone and
//! bank holidays the SLA clock counts, auto-close, cancellation, the after-hours contact,
//! attachment limits, the largest amount per order, the invoice overrun tolerance, idle
//! sign-out, currency, who may use the web portal; and the trail of who changed what.
//! New targets apply to orders raised from then on; the page says so.

use crate::components::categories::Categories;
use crate::components::form::{FormErrors, TextField, use_errors_cleared_when_fixed};
use crate::components::mail_settings::MailSettingsCard;
use crate::components::records::{DateField, money_input};
use crate::components::status::{error_banner, loading};
use crate::format;
use crate::ipc;
use crate::live::use_load;
use chrono::NaiveDate;
use plumbline_domain::MoneyMinor;
use plumbline_domain::agency_rules;
use plumbline_domain::api::{AgencyRules, BankHoliday, Field, SettingChange, SlaTargetRow, WebPortal};
use plumbline_domain::commands;
use plumbline_domain::sla::SlaSpan;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const WEEK: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[function_component]
pub fn SettingsPage() -> Html {
    let rules = use_load((), |_| commands::AgencyRules {}, |_| false);
    let history = use_load((), |_| commands::SettingsHistory {}, |_| false);
    let on_saved = {
        let (loaded, reload_history) = (rules.loaded.clone(), history.reload.clone());
        Callback::from(move |saved: AgencyRules| {
            loaded.set(Some(Ok(saved)));
            reload_history.emit(());
        })
    };
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Agency settings" }</h1>
                    <p class="muted">{ "The rules the desk runs on. Changed SLA targets and hours apply to requests raised from now on; open orders keep the due times they were given." }</p>
                </div>
            </header>
            { match &*rules.loaded {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(rules)) => html! { <RulesForm start={rules.clone()} {on_saved} /> },
            } }
            <Categories on_saved={history.reload.clone()} />
            <MailSettingsCard />
            <div class="card">
                <h2>{ "Changes" }</h2>
                { match &*history.loaded {
                    None => loading(),
                    Some(Err(error)) => error_banner(error),
                    Some(Ok(changes)) if changes.is_empty() => html! { <p class="muted">{ "No setting has been changed yet." }</p> },
                    Some(Ok(changes)) => trail(changes),
                } }
            </div>
        </section>
    }
}

fn trail(changes: &[SettingChange]) -> Html {
    html! {
        <table class="records compact" data-testid="settings-history">
            <thead><tr><th>{ "When" }</th><th>{ "Who" }</th><th>{ "Setting" }</th><th>{ "Before" }</th><th>{ "After" }</th></tr></thead>
            <tbody>
                { for changes.iter().map(|c| html! {
                    <tr>
                        <td class="nowrap">{ format::local_date_time(c.at) }</td>
                        <td>{ &c.actor_name }</td>
                        <td class="primary">{ &c.setting }</td>
                        <td class="muted">{ &c.before }</td>
                        <td>{ &c.after }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct RulesFormProps {
    start: AgencyRules,
    on_saved: Callback<AgencyRules>,
}

/// The fields `agency_rules::problems` judges.
const RULES_CHECKED: [Field; 13] = [
    Field::Agency,
    Field::EscalationEmail,
    Field::Currency,
    Field::TimeZone,
    Field::WorkingDays,
    Field::DayStart,
    Field::DayEnd,
    Field::Sla,
    Field::AutoCloseDays,
    Field::Files,
    Field::MaxOrderAmount,
    Field::InvoiceOverrun,
    Field::IdleSignOut,
];

#[function_component]
fn RulesForm(props: &RulesFormProps) -> Html {
    let draft = use_state(|| props.start.clone());
    let errors = use_state(FormErrors::default);
    use_errors_cleared_when_fixed(&draft, &errors, &RULES_CHECKED, |draft| {
        agency_rules::problems(draft).into_iter().map(|(field, _)| field).collect()
    });
    let saved = use_state(|| false);
    // The largest amount as typed ("1,000,000"), kept apart so a half-typed amount is
    // not lost; the draft holds it once it reads as an amount.
    let amount_text = use_state(|| money_input(props.start.max_order_amount));
    let onsubmit = {
        let (draft, errors, saved, on_saved) = (draft.clone(), errors.clone(), saved.clone(), props.on_saved.clone());
        let amount_text = amount_text.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Every problem at once, each beside its field, before anything is sent.
            let mut problems = agency_rules::problems(&draft);
            if let Err(message) = MoneyMinor::parse(&amount_text) {
                problems.retain(|(field, _)| *field != Field::MaxOrderAmount);
                problems.push((Field::MaxOrderAmount, message.to_string()));
            }
            if !problems.is_empty() {
                saved.set(false);
                let all = problems
                    .into_iter()
                    .fold(FormErrors::default(), |all, (field, message)| all.and(field, format::sentence(&message)));
                return errors.set(all);
            }
            let (rules, errors, saved, on_saved) = ((*draft).clone(), errors.clone(), saved.clone(), on_saved.clone());
            ipc::call_then(commands::UpdateAgencyRules { rules }, move |answer| match answer {
                Ok(rules) => {
                    errors.set(FormErrors::default());
                    saved.set(true);
                    on_saved.emit(rules);
                }
                Err(error) => {
                    saved.set(false);
                    errors.set(FormErrors::from(error));
                }
            });
        })
    };
    let text = |apply: fn(&mut AgencyRules, String)| {
        let (draft, saved) = (draft.clone(), saved.clone());
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            saved.set(false);
            draft.set(next);
        })
    };
    let change = |apply: Box<dyn Fn(&mut AgencyRules)>| {
        let (draft, saved) = (draft.clone(), saved.clone());
        move || {
            let mut next = (*draft).clone();
            apply(&mut next);
            saved.set(false);
            draft.set(next);
        }
    };
    let number = |apply: fn(&mut AgencyRules, i64)| {
        let (draft, saved) = (draft.clone(), saved.clone());
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value.trim().parse().unwrap_or(0));
            saved.set(false);
            draft.set(next);
        })
    };
    let r = &*draft;
    html! {
        <form class="settings" {onsubmit} novalidate=true>
            <div class="card">
                <h2>{ "SLA targets" }</h2>
                <p class="muted small">{ "How soon each priority must be responded to and resolved. Working days skip non-working days and bank holidays." }</p>
                <table class="records compact sla-table">
                    <thead><tr><th>{ "Priority" }</th><th>{ "Respond within" }</th><th>{ "Resolve within" }</th></tr></thead>
                    <tbody>{ for r.sla.iter().enumerate().map(|(i, row)| sla_row(i, row, &draft, &saved)) }</tbody>
                </table>
                if let Some(message) = errors.for_field(Field::Sla) { <p class="field-error" role="alert">{ message }</p> }
            </div>
            <div class="card">
                <h2>{ "Working week" }</h2>
                <fieldset class="field">
                    <legend>{ "Working days" }</legend>
                    <div class="day-picks">
                        { for WEEK.iter().map(|day| {
                            let on = r.working_days.iter().any(|d| d == day);
                            let toggle = change(Box::new(move |rules: &mut AgencyRules| toggle_day(rules, day)));
                            html! {
                                <label class="check-label" data-day={*day}>
                                    <input type="checkbox" checked={on} onchange={Callback::from(move |_: Event| toggle())} />{ *day }
                                </label>
                            }
                        }) }
                    </div>
                    if let Some(message) = errors.for_field(Field::WorkingDays) { <p class="field-error" role="alert">{ message }</p> }
                </fieldset>
                <div class="field-row">
                    <TextField id="day-start" label="Day starts" kind="time" value={r.day_start.clone()} on_input={text(|r, v| r.day_start = v)}
                               error={errors.for_field(Field::DayStart)} />
                    <TextField id="day-end" label="Day ends" kind="time" value={r.day_end.clone()} on_input={text(|r, v| r.day_end = v)}
                               error={errors.for_field(Field::DayEnd)} />
                    <TextField id="time-zone" label="Time zone" value={r.time_zone.clone()} on_input={text(|r, v| r.time_zone = v)}
                               hint="e.g. Europe/London" error={errors.for_field(Field::TimeZone)} />
                </div>
                <BankHolidays days={r.bank_holidays.clone()} on_change={{
                    let (draft, saved) = (draft.clone(), saved.clone());
                    Callback::from(move |days: Vec<BankHoliday>| { saved.set(false); draft.set(AgencyRules { bank_holidays: days, ..(*draft).clone() }) })
                }} error={errors.for_field(Field::BankHolidays)} />
            </div>
            <div class="card">
                <h2>{ "Requests and files" }</h2>
                <div class="field-row">
                    <TextField id="auto-close-days" label="Close completed jobs after (days)" kind="number" value={r.auto_close_days.to_string()}
                               on_input={number(|r, v| r.auto_close_days = v)} error={errors.for_field(Field::AutoCloseDays)}
                               hint="If the tenant neither confirms nor reports a problem" />
                    <TextField id="max-file-mb" label="Largest file (MB)" kind="number" value={r.max_file_mb.to_string()}
                               on_input={number(|r, v| r.max_file_mb = v)} />
                    <TextField id="max-order-mb" label="All of one order's files (MB)" kind="number" value={r.max_order_mb.to_string()}
                               on_input={number(|r, v| r.max_order_mb = v)} />
                </div>
                if let Some(message) = errors.for_field(Field::Files) { <p class="field-error" role="alert">{ message }</p> }
                <label class="check-label">
                    <input type="checkbox" id="tenants-may-cancel" checked={r.tenants_may_cancel_after_accept}
                           onchange={{ let toggle = change(Box::new(|r: &mut AgencyRules| r.tenants_may_cancel_after_accept = !r.tenants_may_cancel_after_accept)); Callback::from(move |_: Event| toggle()) }} />
                    { "Tenants may cancel a request after a contractor has accepted it" }
                </label>
            </div>
            <div class="card">
                <h2>{ "Agency" }</h2>
                <div class="field-row">
                    <TextField id="agency-name" label="Agency name" value={r.name.clone()} on_input={text(|r, v| r.name = v)}
                               error={errors.for_field(Field::Agency)} />
                    <TextField id="currency" label="Currency" value={r.currency.clone()} on_input={text(|r, v| r.currency = v)}
                               hint="GBP, EUR…" error={errors.for_field(Field::Currency)} />
                </div>
                <div class="field-row">
                    <TextField id="escalation-contact" label="After-hours emergency contact" value={r.escalation_contact.clone()}
                               on_input={text(|r, v| r.escalation_contact = v)} hint="Who tenants are told to call out of hours: name and number"
                               error={errors.for_field(Field::EscalationContact)} />
                    <TextField id="escalation-email" label="After-hours escalation e-mail" kind="email" value={r.escalation_email.clone()}
                               on_input={text(|r, v| r.escalation_email = v)} hint="An emergency raised out of hours, or left unanswered, is e-mailed here"
                               error={errors.for_field(Field::EscalationEmail)} />
                </div>
            </div>
            { limits_card(&draft, &saved, &errors, &amount_text) }
            { web_portal_card(&draft, &saved) }
            if let Some(error) = &errors.general { { error_banner(error) } }
            <div class="form-buttons sticky-save">
                <button id="save-settings" class="primary-button" type="submit">{ "Save settings" }</button>
                if *saved { <span class="saved-note" role="status" data-testid="settings-saved">{ "Saved. New requests use these rules." }</span> }
            </div>
        </form>
    }
}

/// Money limits and idle sign-out: the largest amount per order, how far an invoice may
/// pass the approved cost, and how long a desk may sit idle.
fn limits_card(
    draft: &UseStateHandle<AgencyRules>,
    saved: &UseStateHandle<bool>,
    errors: &UseStateHandle<FormErrors>,
    amount_text: &UseStateHandle<String>,
) -> Html {
    let number = |apply: fn(&mut AgencyRules, i64)| {
        let (draft, saved) = (draft.clone(), saved.clone());
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value.trim().parse().unwrap_or(-1));
            saved.set(false);
            draft.set(next);
        })
    };
    let on_amount = {
        let (draft, saved, amount_text) = (draft.clone(), saved.clone(), amount_text.clone());
        Callback::from(move |value: String| {
            if let Ok(amount) = MoneyMinor::parse(&value) {
                draft.set(AgencyRules { max_order_amount: amount, ..(*draft).clone() });
            }
            amount_text.set(value);
            saved.set(false);
        })
    };
    let r = &**draft;
    let (least, most) = (agency_rules::IDLE_SIGN_OUT_MINUTES.start(), agency_rules::IDLE_SIGN_OUT_MINUTES.end());
    html! {
        <div class="card">
            <h2>{ "Money and sign-out" }</h2>
            <div class="field-row">
                <TextField id="max-order-amount" label={format!("Largest amount per order ({})", format::currency())}
                           value={(**amount_text).clone()} on_input={on_amount} error={errors.for_field(Field::MaxOrderAmount)}
                           hint={format!("No estimate, approval, invoice or payout above this; at most {}", format::money(MoneyMinor::MAX))} />
                <TextField id="invoice-overrun-percent" label="Invoice may exceed the approved cost by (%)" kind="number"
                           value={r.invoice_overrun_percent.to_string()} on_input={number(|r, v| r.invoice_overrun_percent = v)}
                           error={errors.for_field(Field::InvoiceOverrun)}
                           hint="0 to 100. A contractor's invoice above this needs staff to approve the overrun" />
                <TextField id="idle-sign-out-minutes" label="Sign out after (minutes idle)" kind="number"
                           value={r.idle_sign_out_minutes.to_string()} on_input={number(|r, v| r.idle_sign_out_minutes = v)}
                           error={errors.for_field(Field::IdleSignOut)}
                           hint={format!("{least} to {most}: a desk left this long is signed out")} />
            </div>
        </div>
    }
}

/// One group's flag in the web portal setting.
type PortalGroup = fn(&mut WebPortal) -> &mut bool;

/// Who may sign in to the web portal (the agency server's page in a browser or on a
/// phone): a checkbox per group of roles.
fn web_portal_card(draft: &UseStateHandle<AgencyRules>, saved: &UseStateHandle<bool>) -> Html {
    let groups: [(&str, &str, PortalGroup); 4] = [
        ("web-portal-tenants", "Tenants", |p| &mut p.tenants),
        ("web-portal-contractors", "Contractors", |p| &mut p.contractors),
        ("web-portal-landlords", "Landlords", |p| &mut p.landlords),
        ("web-portal-staff", "Staff and admins", |p| &mut p.staff),
    ];
    let portal = draft.web_portal;
    html! {
        <div class="card">
            <h2>{ "Web portal" }</h2>
            <p class="muted small">{ "Who may sign in from a browser or phone, without installing the app; everyone may always use the desktop app." }</p>
            <div class="day-picks">
                { for groups.into_iter().map(|(id, label, flag)| {
                    let mut current = portal;
                    let on = *flag(&mut current);
                    let toggle = {
                        let (draft, saved) = (draft.clone(), saved.clone());
                        Callback::from(move |_: Event| {
                            let mut next = (*draft).clone();
                            let group = flag(&mut next.web_portal);
                            *group = !*group;
                            saved.set(false);
                            draft.set(next);
                        })
                    };
                    html! {
                        <label class="check-label">
                            <input type="checkbox" {id} checked={on} onchange={toggle} />{ label }
                        </label>
                    }
                }) }
            </div>
        </div>
    }
}

fn toggle_day(rules: &mut AgencyRules, day: &str) {
    if let Some(at) = rules.working_days.iter().position(|d| d == day) {
        rules.working_days.remove(at);
    } else {
        rules.working_days.push(day.to_owned());
        rules.working_days.sort_by_key(|d| WEEK.iter().position(|w| w == d));
    }
}

/// A span as its number and its unit's name.
fn split(span: SlaSpan) -> (u32, &'static str) {
    match span {
        SlaSpan::Hours(n) => (n, "hours"),
        SlaSpan::Days(n) => (n, "days"),
        SlaSpan::BusinessDays(n) => (n, "working days"),
    }
}

fn join(value: u32, unit: &str) -> SlaSpan {
    match unit {
        "days" => SlaSpan::Days(value),
        "working days" => SlaSpan::BusinessDays(value),
        _ => SlaSpan::Hours(value),
    }
}

fn sla_row(
    index: usize,
    row: &SlaTargetRow,
    draft: &UseStateHandle<AgencyRules>,
    saved: &UseStateHandle<bool>,
) -> Html {
    let span_input = |clock: &'static str, span: SlaSpan, set: fn(&mut SlaTargetRow, SlaSpan)| {
        let (value, unit) = split(span);
        let on_value = {
            let (draft, saved) = (draft.clone(), saved.clone());
            Callback::from(move |e: InputEvent| {
                let value = e.target_unchecked_into::<HtmlInputElement>().value().trim().parse().unwrap_or(0);
                let mut next = (*draft).clone();
                let (_, unit) =
                    split(if clock == "respond" { next.sla[index].respond } else { next.sla[index].resolve });
                set(&mut next.sla[index], join(value, unit));
                saved.set(false);
                draft.set(next);
            })
        };
        let on_unit = {
            let (draft, saved) = (draft.clone(), saved.clone());
            Callback::from(move |e: Event| {
                let unit = e.target_unchecked_into::<HtmlSelectElement>().value();
                let mut next = (*draft).clone();
                let (value, _) =
                    split(if clock == "respond" { next.sla[index].respond } else { next.sla[index].resolve });
                set(&mut next.sla[index], join(value, &unit));
                saved.set(false);
                draft.set(next);
            })
        };
        let id = format!("sla-{}-{clock}", row.priority.as_str().to_lowercase());
        html! {
            <span class="span-input">
                <input id={id.clone()} type="number" min="1" value={value.to_string()} oninput={on_value} aria-label={format!("{} {clock}", row.priority.as_str())} />
                <select id={format!("{id}-unit")} onchange={on_unit}>
                    { for ["hours", "days", "working days"].into_iter().map(|u| html! { <option value={u} selected={u == unit}>{ u }</option> }) }
                </select>
            </span>
        }
    };
    html! {
        <tr>
            <td><span class={classes!("priority", format!("priority-{}", row.priority.as_str().to_lowercase()))}><span class="dot"></span>{ row.priority.as_str() }</span></td>
            <td>{ span_input("respond", row.respond, |r, s| r.respond = s) }</td>
            <td>{ span_input("resolve", row.resolve, |r, s| r.resolve = s) }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct BankHolidaysProps {
    days: Vec<BankHoliday>,
    on_change: Callback<Vec<BankHoliday>>,
    error: Option<String>,
}

#[function_component]
fn BankHolidays(props: &BankHolidaysProps) -> Html {
    let day = use_state(|| None::<NaiveDate>);
    let name = use_state(String::new);
    let add = {
        let (day, name, days, on_change) = (day.clone(), name.clone(), props.days.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(chosen) = *day {
                let mut next = days.clone();
                next.retain(|h| h.day != chosen);
                next.push(BankHoliday { day: chosen, name: (*name).trim().to_owned() });
                next.sort_by_key(|h| h.day);
                on_change.emit(next);
                day.set(None);
                name.set(String::new());
            }
        })
    };
    html! {
        <fieldset class="field bank-holidays">
            <legend>{ "Bank holidays" }</legend>
            if props.days.is_empty() { <p class="muted small">{ "None: the clock counts every working day." }</p> }
            <ul class="chips">
                { for props.days.iter().map(|h| {
                    let (days, on_change, gone) = (props.days.clone(), props.on_change.clone(), h.day);
                    let remove = Callback::from(move |_: MouseEvent| on_change.emit(days.iter().filter(|d| d.day != gone).cloned().collect()));
                    html! {
                        <li class="chip">{ format!("{} {}", format::weekday_day(h.day), h.name) }
                            <button type="button" class="chip-remove" aria-label="Remove" onclick={remove}>{ "×" }</button></li>
                    }
                }) }
            </ul>
            <div class="field-row">
                <DateField id="holiday-day" label="Day" value={*day} on_change={{ let day = day.clone(); Callback::from(move |d| day.set(d)) }} />
                <TextField id="holiday-name" label="Name (optional)" value={(*name).clone()} on_input={{ let name = name.clone(); Callback::from(move |v| name.set(v)) }} />
                <button type="button" id="add-holiday" class="small-button align-end" onclick={add} disabled={day.is_none()}>{ "Add" }</button>
            </div>
            if let Some(message) = &props.error { <p class="field-error" role="alert">{ message }</p> }
        </fieldset>
    }
}
