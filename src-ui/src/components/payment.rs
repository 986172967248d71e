//! The order's Payment card, for staff and the assigned contractor: where the payment
//! stands, and for staff, once the job is closed, the form that records its payout.

use crate::components::badges::payment_badge;
use crate::components::day_input::DayInput;
use crate::{format, ipc};
use chrono::NaiveDate;
use plumbline_domain::api::{
    CommandError, ErrorCode, Field, MAX_PAYOUT_REFERENCE_CHARS, Payment, RecordPayout, WorkOrderDetail,
};
use plumbline_domain::commands;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The order's payment; `on_changed` gets the order as it stands after a payout is
/// recorded.
pub fn payment_card(order: &WorkOrderDetail, on_changed: &Callback<WorkOrderDetail>) -> Html {
    let Some(payment) = &order.payment else { return html! {} };
    html! {
        <div class="card payment" data-testid="payment">
            <h2>{ "Payment" }</h2>
            { facts(payment) }
            if payment.may_record_payout {
                <PayoutForm order={order.clone()} on_changed={on_changed.clone()} />
            }
        </div>
    }
}

fn facts(payment: &Payment) -> Html {
    let amount_label = if payment.paid_on.is_some() { "Paid" } else { "Invoice" };
    html! {
        <dl class="facts">
            <dt>{ "Status" }</dt><dd>{ payment_badge(payment.status) }</dd>
            <dt>{ amount_label }</dt><dd data-testid="payment-amount">{ crate::format::money(payment.amount_minor) }</dd>
            if let Some(paid_on) = payment.paid_on {
                <dt>{ "Paid on" }</dt><dd>{ crate::format::day(paid_on) }</dd>
            }
            if let Some(reference) = &payment.reference {
                <dt>{ "Reference" }</dt><dd class="code">{ reference }</dd>
            }
        </dl>
    }
}

#[derive(Properties, PartialEq)]
struct PayoutFormProps {
    order: WorkOrderDetail,
    on_changed: Callback<WorkOrderDetail>,
}

/// Reference and paid date; the backend checks both again (and the date against the
/// agency's calendar, not this computer's).
#[function_component]
fn PayoutForm(props: &PayoutFormProps) -> Html {
    let today = format::today_input();
    let reference = use_state(String::new);
    let paid_on = use_state(|| today.clone());
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (reference, paid_on, error, busy) = (reference.clone(), paid_on.clone(), error.clone(), busy.clone());
        let (id, on_changed) = (props.order.row.id, props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(date) = paid_on.parse::<NaiveDate>() else {
                let message = "pick the day it was paid".to_owned();
                error.set(Some(CommandError { code: ErrorCode::Validation, message, field: Some(Field::PaidOn) }));
                return;
            };
            let request = RecordPayout { id, reference: (*reference).clone(), paid_on: date };
            let (error, busy, on_changed) = (error.clone(), busy.clone(), on_changed.clone());
            busy.set(true);
            ipc::call_then(commands::RecordPayout { request }, move |answer| {
                match answer {
                    Ok(updated) => {
                        error.set(None);
                        on_changed.emit(updated);
                    }
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
            });
        })
    };
    let on_reference = {
        let reference = reference.clone();
        Callback::from(move |e: InputEvent| reference.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_date = {
        let paid_on = paid_on.clone();
        Callback::from(move |day: String| paid_on.set(day))
    };
    html! {
        <form class="payout-form" data-testid="payout-form" {onsubmit}>
            <label>{ "Payment reference" }
                <input type="text" required=true maxlength={MAX_PAYOUT_REFERENCE_CHARS.to_string()} placeholder="e.g. BACS-0042"
                       value={(*reference).clone()} oninput={on_reference} data-field="reference" />
            </label>
            <label>{ "Paid on" }
                <DayInput value={(*paid_on).clone()} on_change={on_date} field="paid_on" max={today.parse::<NaiveDate>().ok()} />
            </label>
            <button type="submit" class="primary-button" disabled={*busy} data-testid="record-payout">
                { if *busy { "Saving…" } else { "Record payout" } }
            </button>
            if let Some(err) = &*error {
                <div class="error-banner" role="alert" data-testid="payout-error" data-code={format!("{:?}", err.code)}>{ &err.message }</div>
            }
        </form>
    }
}
