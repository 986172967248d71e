//! Contractors as staff keep them: trades, rates, insurance and licence with a red /
//! amber / green status, preferred flag and notes. A contractor without valid insurance,
//! or with an expired licence, cannot be assigned: the list says why.

use crate::components::form::{FormErrors, TextField};
use crate::components::records::{DateField, document_pill, money_input, parse_money};
use crate::components::status::{empty, error_banner, loading};
use crate::format;
use crate::ipc;
use crate::live::use_load;
use chrono::NaiveDate;
use plumbline_domain::api::{CategoryOption, ContractorDetails, ContractorProfile, Field};
use plumbline_domain::ids::CategoryId;
use plumbline_domain::{UserId, commands};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[function_component]
pub fn ContractorsPage() -> Html {
    let list = use_load((), |_| commands::ListContractors {}, |_| false);
    let trades = use_load((), |_| commands::IntakeOptions {}, |_| false);
    let editing = use_state(|| None::<UserId>);
    let trades: Vec<CategoryOption> = match &*trades.loaded {
        Some(Ok(trades)) => trades.clone(),
        _ => Vec::new(),
    };
    let on_saved = {
        let (editing, reload) = (editing.clone(), list.reload.clone());
        Callback::from(move |_: ContractorProfile| {
            editing.set(None);
            reload.emit(());
        })
    };
    let on_edit = {
        let editing = editing.clone();
        Callback::from(move |id: UserId| editing.set(if *editing == Some(id) { None } else { Some(id) }))
    };
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Contractors" }</h1>
                    <p class="muted">{ "Who the agency sends, for which trades, and whether their papers are in order. Invite a new contractor from Users." }</p>
                </div>
            </header>
            <div class="card records-card">
                { match &*list.loaded {
                    None => loading(),
                    Some(Err(error)) => error_banner(error),
                    Some(Ok(list)) if list.is_empty() => empty("No contractors yet", "Invite them from Users (role Contractor), or import them from a spreadsheet."),
                    Some(Ok(list)) => html! {
                        <table class="records" data-testid="contractors">
                            <thead><tr>
                                <th>{ "Company" }</th><th>{ "Trades" }</th><th class="num">{ "Rates" }</th>
                                <th>{ "Insurance" }</th><th>{ "Licence" }</th><th class="num">{ "Open jobs" }</th><th></th>
                            </tr></thead>
                            <tbody>
                                { for list.iter().map(|c| contractor_row(c, &trades, *editing == Some(c.id), &on_edit, &on_saved)) }
                            </tbody>
                        </table>
                    },
                } }
            </div>
        </section>
    }
}

/// The contractor's row, and under it their profile's form while `editing`.
fn contractor_row(
    c: &ContractorProfile,
    trades: &[CategoryOption],
    editing: bool,
    on_edit: &Callback<UserId>,
    on_saved: &Callback<ContractorProfile>,
) -> Html {
    let d = &c.details;
    let id = c.id;
    let trade_names: Vec<&str> =
        d.trades.iter().filter_map(|t| trades.iter().find(|o| o.id == *t).map(|o| o.name.as_str())).collect();
    html! {
        <>
            <tr data-contractor={c.email.clone()} class={classes!((!c.active).then_some("deactivated"))}>
                <td class="primary">
                    { &d.company }
                    if d.preferred { <span class="pill info" title="Preferred">{ "★ Preferred" }</span> }
                    <div class="muted small">{ format!("{} · {}", c.contact, c.email) }</div>
                    if let Some(why) = &c.blocked {
                        <div class="error-text small" data-testid="blocked" title={why.clone()}>{ "Cannot be assigned" }</div>
                    }
                </td>
                <td>{ if trade_names.is_empty() { "—".to_owned() } else { trade_names.join(", ") } }</td>
                <td class="num small">{ format!("{}/h", format::money(d.hourly_rate)) }<div class="muted">{ format!("call-out {}", format::money(d.callout_fee)) }</div></td>
                <td data-testid="insurance">{ document_pill(c.insurance, true) }</td>
                <td data-testid="licence">{ document_pill(c.licence, false) }</td>
                <td class="num">{ c.open_jobs }</td>
                <td class="row-actions">
                    <button class="small-button" data-testid="edit-contractor" onclick={on_edit.reform(move |_| id)}>
                        { if editing { "Close" } else { "Edit" } }
                    </button>
                </td>
            </tr>
            if editing {
                <tr class="form-row"><td colspan="7">
                    <ProfileForm id={id} start={d.clone()} trades={trades.to_vec()} on_saved={on_saved.clone()} />
                </td></tr>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ProfileFormProps {
    id: UserId,
    start: ContractorDetails,
    trades: Vec<CategoryOption>,
    on_saved: Callback<ContractorProfile>,
}

/// The profile as typed: amounts stay text until saved, so a half-typed one is kept.
#[derive(Clone, PartialEq)]
struct Draft {
    details: ContractorDetails,
    hourly_rate: String,
    callout_fee: String,
}

#[function_component]
fn ProfileForm(props: &ProfileFormProps) -> Html {
    let draft = use_state(|| Draft {
        details: props.start.clone(),
        hourly_rate: money_input(props.start.hourly_rate),
        callout_fee: money_input(props.start.callout_fee),
    });
    let errors = use_state(FormErrors::default);
    let onsubmit = {
        let (draft, errors, on_saved, id) = (draft.clone(), errors.clone(), props.on_saved.clone(), props.id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut details = draft.details.clone();
            let (rate, fee) = (parse_money(&draft.hourly_rate), parse_money(&draft.callout_fee));
            let mut problems = FormErrors::default();
            if details.company.trim().is_empty() {
                problems = problems.and(Field::Company, "Enter the company's name");
            }
            if let Err(message) = &rate {
                problems = problems.and(Field::HourlyRate, message.clone());
            }
            if let Err(message) = &fee {
                problems = problems.and(Field::CalloutFee, message.clone());
            }
            match (rate, fee) {
                (Ok(rate), Ok(fee)) if problems.is_empty() => (details.hourly_rate, details.callout_fee) = (rate, fee),
                _ => return errors.set(problems),
            }
            let (errors, on_saved) = (errors.clone(), on_saved.clone());
            ipc::call_then(commands::UpdateContractor { id, details }, move |answer| match answer {
                Ok(profile) => on_saved.emit(profile),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let edit = |apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let date = |apply: fn(&mut ContractorDetails, Option<NaiveDate>)| {
        let draft = draft.clone();
        Callback::from(move |day: Option<NaiveDate>| {
            let mut next = (*draft).clone();
            apply(&mut next.details, day);
            draft.set(next);
        })
    };
    let toggle_trade = |trade: CategoryId| {
        let draft = draft.clone();
        Callback::from(move |_: Event| {
            let mut next = (*draft).clone();
            let trades = &mut next.details.trades;
            if let Some(at) = trades.iter().position(|t| *t == trade) {
                trades.remove(at);
            } else {
                trades.push(trade);
            }
            draft.set(next);
        })
    };
    let toggle_preferred = {
        let draft = draft.clone();
        Callback::from(move |_: Event| {
            let mut next = (*draft).clone();
            next.details.preferred = !next.details.preferred;
            draft.set(next);
        })
    };
    let on_notes = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            next.details.notes = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            draft.set(next);
        })
    };
    let d = &draft.details;
    html! {
        <form class="inline-form profile-form" {onsubmit} novalidate=true>
            <div class="field-row">
                <TextField id="contractor-company" label="Company" value={d.company.clone()} on_input={edit(|d, v| d.details.company = v)}
                           error={errors.for_field(Field::Company)} />
                <TextField id="contractor-rate" label={format!("Hourly rate ({})", format::currency())} value={draft.hourly_rate.clone()}
                           on_input={edit(|d, v| d.hourly_rate = v)} error={errors.for_field(Field::HourlyRate)} />
                <TextField id="contractor-callout" label={format!("Call-out fee ({})", format::currency())} value={draft.callout_fee.clone()}
                           on_input={edit(|d, v| d.callout_fee = v)} error={errors.for_field(Field::CalloutFee)} />
            </div>
            <fieldset class="field trades">
                <legend>{ "Trades" }</legend>
                { for props.trades.iter().map(|trade| html! {
                    <label class="check-label" data-trade={trade.name.clone()}>
                        <input type="checkbox" checked={d.trades.contains(&trade.id)} onchange={toggle_trade(trade.id)} />
                        { &trade.name }
                    </label>
                }) }
                if let Some(message) = errors.for_field(Field::Trades) { <p class="field-error" role="alert">{ message }</p> }
            </fieldset>
            <div class="field-row">
                <DateField id="contractor-insurance" label="Insurance valid until" value={d.insurance_expires_on}
                           on_change={date(|d, v| d.insurance_expires_on = v)} error={errors.for_field(Field::InsuranceExpiresOn)}
                           hint="Required: without it they cannot be assigned." />
                <DateField id="contractor-licence" label="Licence valid until (if their trade needs one)" value={d.licence_expires_on}
                           on_change={date(|d, v| d.licence_expires_on = v)} error={errors.for_field(Field::LicenceExpiresOn)} />
            </div>
            <label class="check-label">
                <input type="checkbox" id="contractor-preferred" checked={d.preferred} onchange={toggle_preferred} />
                { "Preferred: offered first for their trades" }
            </label>
            <label class="field">{ "Notes" }
                <textarea id="contractor-notes" rows="2" value={d.notes.clone()} oninput={on_notes}></textarea>
            </label>
            if let Some(error) = &errors.general { { error_banner(error) } }
            <button id="save-contractor" class="primary-button" type="submit">{ "Save profile" }</button>
        </form>
    }
}
