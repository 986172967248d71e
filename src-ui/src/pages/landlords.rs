//! Landlords as staff keep them: their properties, from what cost they are told of
//! work, above what cost they must approve it, and whether staff may approve for them.

use crate::components::form::{FormErrors, TextField};
use crate::components::records::{money_input, parse_money};
use crate::components::status::{empty, error_banner, loading};
use crate::format;
use crate::ipc;
use crate::live::use_load;
use plumbline_domain::api::{Field, LandlordRecord, LandlordRules};
use plumbline_domain::approval::ApprovalThresholds;
use plumbline_domain::ids::PropertyId;
use plumbline_domain::{UserId, commands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LandlordsProps {
    pub on_open_property: Callback<PropertyId>,
}

#[function_component]
pub fn LandlordsPage(props: &LandlordsProps) -> Html {
    let list = use_load((), |_| commands::ListLandlords {}, |_| false);
    let editing = use_state(|| None::<UserId>);
    let on_saved = {
        let (editing, reload) = (editing.clone(), list.reload.clone());
        Callback::from(move |()| {
            editing.set(None);
            reload.emit(());
        })
    };
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Landlords" }</h1>
                    <p class="muted">{ "Who owns what, and how each landlord's repair costs are approved. Invite a new landlord from Users." }</p>
                </div>
            </header>
            { match &*list.loaded {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(list)) if list.is_empty() => html! {
                    <div class="card">{ empty("No landlords yet", "Invite them from Users (role Landlord), or import the agency's book.") }</div>
                },
                Some(Ok(list)) => html! {
                    <div class="landlord-list">
                        { for list.iter().map(|landlord| {
                            let id = landlord.id;
                            let editing_this = *editing == Some(id);
                            let toggle = { let editing = editing.clone(); Callback::from(move |_: MouseEvent| editing.set(if editing_this { None } else { Some(id) })) };
                            landlord_card(landlord, editing_this, toggle, &on_saved, &props.on_open_property)
                        }) }
                    </div>
                },
            } }
        </section>
    }
}

fn landlord_card(
    landlord: &LandlordRecord,
    editing: bool,
    toggle: Callback<MouseEvent>,
    on_saved: &Callback<()>,
    on_open: &Callback<PropertyId>,
) -> Html {
    let rules = landlord.rules;
    html! {
        <div class="card landlord" data-landlord={landlord.email.clone()}>
            <div class="card-head">
                <div>
                    <h2>{ &landlord.name }</h2>
                    <p class="muted small">{ &landlord.email }{ landlord.phone.as_ref().map(|p| format!(" · {p}")).unwrap_or_default() }</p>
                </div>
                <button class="small-button" data-testid="edit-landlord" onclick={toggle}>{ if editing { "Close" } else { "Edit rules" } }</button>
            </div>
            <p class="rules" data-testid="landlord-rules">
                { format!("Told of work from {}; approves work above {}", format::money(rules.thresholds.notify_from), format::money(rules.thresholds.approval_above)) }
                { if rules.staff_may_approve { " (or staff approve on their behalf)." } else { " themselves." } }
            </p>
            if editing {
                <RulesForm id={landlord.id} start={rules} on_saved={on_saved.clone()} />
            }
            if landlord.properties.is_empty() {
                <p class="muted">{ "No properties on record." }</p>
            } else {
                <ul class="landlord-properties">
                    { for landlord.properties.iter().map(|p| {
                        let id = p.id;
                        let open = match p.orders_not_closed {
                            0 => "every order closed".to_owned(),
                            1 => "1 order not closed".to_owned(),
                            n => format!("{n} orders not closed"),
                        };
                        let units = if p.units == 1 { "1 unit".to_owned() } else { format!("{} units", p.units) };
                        html! {
                            <li>
                                <button class="link-button" onclick={on_open.reform(move |_| id)}>{ &p.address }</button>
                                <span class="muted small">{ format!("{units} · {open}{}", if p.archived { " · archived" } else { "" }) }</span>
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RulesFormProps {
    id: UserId,
    start: LandlordRules,
    on_saved: Callback<()>,
}

#[function_component]
fn RulesForm(props: &RulesFormProps) -> Html {
    let notify = use_state(|| money_input(props.start.thresholds.notify_from));
    let approve = use_state(|| money_input(props.start.thresholds.approval_above));
    let staff_may = use_state(|| props.start.staff_may_approve);
    let errors = use_state(FormErrors::default);
    let onsubmit = {
        let (notify, approve, staff_may, errors, on_saved, id) =
            (notify.clone(), approve.clone(), staff_may.clone(), errors.clone(), props.on_saved.clone(), props.id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let thresholds = match (parse_money(&notify), parse_money(&approve)) {
                (Err(message), _) => return errors.set(FormErrors::on(Field::NotifyFrom, message)),
                (_, Err(message)) => return errors.set(FormErrors::on(Field::ApprovalAbove, message)),
                (Ok(notify_from), Ok(approval_above)) => ApprovalThresholds { notify_from, approval_above },
            };
            let rules = LandlordRules { thresholds, staff_may_approve: *staff_may };
            let (errors, on_saved) = (errors.clone(), on_saved.clone());
            ipc::call_then(commands::SetLandlordRules { id, rules }, move |answer| match answer {
                Ok(_) => on_saved.emit(()),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };
    let toggle = {
        let staff_may = staff_may.clone();
        Callback::from(move |_: Event| staff_may.set(!*staff_may))
    };
    html! {
        <form class="inline-form" {onsubmit} novalidate=true>
            <div class="field-row">
                <TextField id="landlord-notify" label={format!("Tell the landlord of work from ({})", format::currency())} value={(*notify).clone()} on_input={text(&notify)}
                           error={errors.for_field(Field::NotifyFrom)} />
                <TextField id="landlord-approve" label={format!("Landlord approves work above ({})", format::currency())} value={(*approve).clone()} on_input={text(&approve)}
                           error={errors.for_field(Field::ApprovalAbove)} />
            </div>
            <label class="check-label">
                <input type="checkbox" id="landlord-staff-may" checked={*staff_may} onchange={toggle} />
                { "Staff may approve on the landlord's behalf (as their management agreement allows)" }
            </label>
            if let Some(error) = &errors.general { { error_banner(error) } }
            <button id="save-landlord" class="primary-button" type="submit">{ "Save rules" }</button>
        </form>
    }
}
