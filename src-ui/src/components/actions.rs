//! The steps the viewer may take on an order, exactly those the backend allows, each
//! with the few inputs it needs. The result (or the refusal) shows at once; a change
//! someone else makes to the order while a form is open is shown before the step is sent.

use crate::app::ActionRequest;
use crate::components::day_input::{DAY_TIME_FORMAT, parse_day_time};
use crate::format;
use crate::ipc;
use crate::keyboard::{self, Modifier, action_for_key, action_key, focus_first_field, plain_key, use_keydown};
use plumbline_domain::api::{ActOnWorkOrder, CommandError, ContractorChoice, ErrorCode, Step, WorkOrderDetail};
use plumbline_domain::commands;
use plumbline_domain::role::Party;
use plumbline_domain::{Action, MoneyMinor, Priority, UserId};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub order: WorkOrderDetail,
    /// Open this step's form as soon as it is allowed (palette, triage shortcuts).
    #[prop_or_default]
    pub request: Option<ActionRequest>,
    /// The order as it stands after a step, or after a conflict's reload.
    pub on_changed: Callback<WorkOrderDetail>,
}

/// What the open form holds; read when the user confirms.
#[derive(Clone, Default, PartialEq)]
struct Form {
    text: String,
    amount: String,
    choice: String,
    start: String,
    end: String,
    /// Why staff approve an invoice past the agreed cost's tolerance (empty: they do not).
    overrun: String,
}

/// The card's state: which step's form is open (and the order's version it was opened
/// on, to notice a change made meanwhile by someone else), its inputs, and the last
/// refusal.
#[derive(Clone, Default, PartialEq)]
struct Card {
    open: Option<Action>,
    opened_on: i64,
    form: Form,
    contractors: Vec<ContractorChoice>,
    error: Option<CommandError>,
    busy: bool,
}

enum CardAction {
    Open {
        action: Action,
        priority: Option<Priority>,
        version: i64,
    },
    Close,
    Edit(Form),
    Contractors(Vec<ContractorChoice>),
    /// The user has seen what changed: confirming now sends the step on this version.
    Acknowledge(i64),
    Sending,
    Sent,
    Refused(CommandError),
}

impl Reducible for Card {
    type Action = CardAction;

    fn reduce(self: Rc<Self>, action: CardAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            CardAction::Open { action, priority, version } => {
                let priority = priority.unwrap_or(Priority::Urgent);
                let form = Form { choice: priority.as_str().to_owned(), ..Form::default() };
                next = Card { open: Some(action), opened_on: version, form, ..Card::default() };
            }
            CardAction::Close => next.open = None,
            CardAction::Edit(form) => next.form = form,
            CardAction::Contractors(list) => {
                // The best assignable contractor (the list comes best first) is chosen
                // already; one whose insurance or licence has lapsed never is.
                if let Some(best) = list.iter().find(|c| c.blocked.is_none()) {
                    next.form.choice = best.id.0.to_string();
                }
                next.contractors = list;
            }
            CardAction::Acknowledge(version) => next.opened_on = version,
            CardAction::Sending => next.busy = true,
            CardAction::Sent => next = Card::default(),
            CardAction::Refused(error) => {
                next.busy = false;
                next.error = Some(error);
            }
        }
        Rc::new(next)
    }
}

#[function_component]
pub fn Actions(props: &ActionsProps) -> Html {
    let card = use_reducer(Card::default);
    let choose = {
        let (card, order, on_changed) = (card.clone(), props.order.clone(), props.on_changed.clone());
        let (id, version) = (props.order.row.id, props.order.version);
        Callback::from(move |(action, priority): (Action, Option<Priority>)| {
            if let Some(step) = one_click_step(action, &order) {
                send(&card, ActOnWorkOrder { id, version, step }, &on_changed);
                return;
            }
            card.dispatch(CardAction::Open { action, priority, version });
            if matches!(action, Action::Assign | Action::Reassign) {
                let card = card.clone();
                ipc::call_then(commands::SuggestContractors { id }, move |answer| match answer {
                    Ok(list) => card.dispatch(CardAction::Contractors(list)),
                    Err(error) => card.dispatch(CardAction::Refused(error)),
                });
            }
        })
    };
    let submit = submit(&card, &props.order, &props.on_changed);
    use_request(props, &card, &choose);
    use_effect_with(card.open, |open| {
        if open.is_some() {
            focus_first_field(".action-form");
        }
    });
    use_keydown({
        let (choose, card, allowed) = (choose.clone(), card.clone(), props.order.allowed_actions.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && card.open.is_some() {
                e.prevent_default();
                e.stop_immediate_propagation();
                card.dispatch(CardAction::Close);
                return;
            }
            if let Some(action) = plain_key(&e).and_then(|key| action_for_key(&key, &allowed)) {
                e.prevent_default();
                choose.emit((action, None));
            }
        })
    });
    if props.order.allowed_actions.is_empty() && card.error.is_none() && card.open.is_none() {
        return html! {};
    }
    html! {
        <div class="card actions" data-testid="actions">
            <h2>{ "Actions" }</h2>
            <div class="action-buttons">
                { for props.order.allowed_actions.iter().map(|action| action_button(*action, card.open, &choose)) }
            </div>
            if let Some(action) = card.open {
                { form_view(action, &card, &props.order, submit) }
            }
            if let Some(err) = &card.error {
                <div class="error-banner" role="alert" data-testid="action-error" data-code={format!("{:?}", err.code)}>{ format::sentence(&err.message) }</div>
            }
        </div>
    }
}

fn action_button(action: Action, open: Option<Action>, choose: &Callback<(Action, Option<Priority>)>) -> Html {
    let onclick = choose.reform(move |_: MouseEvent| (action, None));
    let class = classes!("action", (open == Some(action)).then_some("selected"), danger(action).then_some("danger"));
    let key = action_key(action).map(|k| k.to_ascii_uppercase());
    let title = key
        .map(|k| format!("{} ({k})", action.label()))
        .unwrap_or_else(|| format!("{} ({})", action.label(), Modifier::here().with("K")));
    html! {
        <button {class} data-action={action.as_str()} {onclick} {title}>
            { action.label() }
            if let Some(k) = key { <kbd>{ k }</kbd> }
        </button>
    }
}

/// Confirming: the step on the version the user has seen. If someone changed the order
/// since the form opened, the first confirm only acknowledges the change shown above the
/// buttons; the next sends.
fn submit(
    card: &UseReducerHandle<Card>,
    order: &WorkOrderDetail,
    on_changed: &Callback<WorkOrderDetail>,
) -> Callback<SubmitEvent> {
    let (card, order, on_changed) = (card.clone(), order.clone(), on_changed.clone());
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        let Some(action) = card.open else { return };
        if card.opened_on != order.version {
            card.dispatch(CardAction::Acknowledge(order.version));
            return;
        }
        let step = match step_from(action, &card.form) {
            Ok(step) => step,
            Err(message) => {
                card.dispatch(CardAction::Refused(CommandError { code: ErrorCode::Validation, message, field: None }));
                return;
            }
        };
        send(&card, ActOnWorkOrder { id: order.row.id, version: order.version, step }, &on_changed);
    })
}

/// Steps with nothing to fill in or think over are taken at once: a form holding only a
/// Confirm button is a second click for nothing. Starting before the appointment is
/// asked about first (see `before_appointment`).
fn one_click_step(action: Action, order: &WorkOrderDetail) -> Option<Step> {
    match action {
        Action::Accept => Some(Step::Accept),
        Action::ConfirmDone => Some(Step::ConfirmDone),
        Action::Start if !early(order) => Some(Step::Start),
        Action::Start
        | Action::SetPriority
        | Action::RequestApproval
        | Action::Approve
        | Action::DeclineEstimate
        | Action::Reject
        | Action::Assign
        | Action::Reassign
        | Action::Decline
        | Action::Schedule
        | Action::RequestReschedule
        | Action::Complete
        | Action::Reopen
        | Action::ReportNotDone
        | Action::Close
        | Action::AutoClose
        | Action::Cancel
        | Action::Rate => None,
    }
}

fn early(order: &WorkOrderDetail) -> bool {
    order.appointment.is_some_and(|(start, _)| !format::is_past(start))
}

/// Sends the step; the order as it then stands replaces the one shown.
fn send(card: &UseReducerHandle<Card>, request: ActOnWorkOrder, on_changed: &Callback<WorkOrderDetail>) {
    let id = request.id;
    let (card, on_changed) = (card.clone(), on_changed.clone());
    card.dispatch(CardAction::Sending);
    ipc::call_then(commands::ActOnWorkOrder { request }, move |answer| match answer {
        Ok(updated) => {
            card.dispatch(CardAction::Sent);
            on_changed.emit(updated);
        }
        // Someone else changed the order: show theirs, keep the message.
        Err(err) if err.code == ErrorCode::Conflict => {
            ipc::call_then(commands::GetWorkOrder { id }, move |fresh| {
                if let Ok(fresh) = fresh {
                    on_changed.emit(fresh);
                }
                card.dispatch(CardAction::Refused(err));
            });
        }
        Err(err) => card.dispatch(CardAction::Refused(err)),
    });
}

/// A request from elsewhere (palette, triage shortcuts) opens its form once, if the step
/// is allowed now; if not, the core says why.
#[hook]
fn use_request(props: &ActionsProps, card: &UseReducerHandle<Card>, choose: &Callback<(Action, Option<Priority>)>) {
    let (choose, allowed, card) = (choose.clone(), props.order.allowed_actions.clone(), card.clone());
    let id = props.order.row.id;
    use_effect_with(props.request, move |request| match request {
        Some(request) if allowed.contains(&request.action) => choose.emit((request.action, request.priority)),
        Some(request) => {
            let action = request.action;
            card.dispatch(CardAction::Close);
            ipc::call_then(commands::ExplainAction { id, action }, move |answer| match answer {
                Err(refusal) => card.dispatch(CardAction::Refused(refusal)),
                Ok(()) => choose.emit((action, None)),
            });
        }
        None => {}
    });
}

fn form_view(
    action: Action,
    card: &UseReducerHandle<Card>,
    order: &WorkOrderDetail,
    onsubmit: Callback<SubmitEvent>,
) -> Html {
    // Ctrl/Cmd+Enter confirms from any field, as in most desktop apps' forms.
    let confirm_keys = Callback::from(|e: KeyboardEvent| {
        if keyboard::is_confirm_key(&e) {
            e.prevent_default();
            if let Some(form) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("form").ok().flatten())
            {
                let _ = form.unchecked_into::<HtmlFormElement>().request_submit();
            }
        }
    });
    let still_allowed = order.allowed_actions.contains(&action);
    let changed = card.opened_on != order.version;
    let edit = {
        let card = card.clone();
        Callback::from(move |form: Form| card.dispatch(CardAction::Edit(form)))
    };
    let close = {
        let card = card.clone();
        Callback::from(move |_: MouseEvent| card.dispatch(CardAction::Close))
    };
    let label = match (card.busy, changed) {
        (true, _) => "Saving…".to_owned(),
        (false, true) => format!("I've checked: {}", action.label()),
        (false, false) => action.label().to_owned(),
    };
    html! {
        <form class="action-form" {onsubmit} onkeydown={confirm_keys} data-testid="action-form">
            if changed {
                { changed_meanwhile(action, order, still_allowed) }
            }
            { before_appointment(action, order) }
            { invoice_ceiling(action, order) }
            { fields(action, &card.form, &edit, &card.contractors) }
            { overrun_input(action, order, &card.form, &edit) }
            <div class="form-buttons">
                if still_allowed {
                    <button type="submit" class="primary-button" disabled={card.busy} data-testid="confirm">{ label }</button>
                }
                <button type="button" class="link" onclick={close}>{ "Not now" }</button>
                <span class="form-hint"><kbd>{ Modifier::here().with("Enter") }</kbd>{ " to confirm · " }<kbd>{ "Esc" }</kbd>{ " not now" }</span>
            </div>
        </form>
    }
}

/// Starting or finishing ahead of the time the tenant was given is allowed (they may have
/// agreed it by phone), but asked about first; the history records it either way.
fn before_appointment(action: Action, order: &WorkOrderDetail) -> Html {
    let Some((start, end)) = order.appointment else { return html! {} };
    if !matches!(action, Action::Start | Action::Complete) || !early(order) {
        return html! {};
    }
    let booked = format!("{} – {}", format::local_date_time(start), format::local_time(end));
    let what = if action == Action::Start { "Starting" } else { "Completing" };
    html! {
        <div class="notice-bar warning" role="alert" data-testid="before-appointment">
            <strong>{ format!("The appointment is booked for {booked}. ") }</strong>
            { format!("{what} now, before it, is recorded in the order's history. Check the tenant agreed to it.") }
        </div>
    }
}

/// How far the invoice may go, said before it is sent (`domain::approval::InvoiceCeiling`;
/// the backend refuses the same).
fn invoice_ceiling(action: Action, order: &WorkOrderDetail) -> Html {
    let Some(ceiling) = order.invoice_ceiling.filter(|_| action == Action::Complete) else { return html! {} };
    let limit = format::money(ceiling.order_limit);
    let text = match (ceiling.agreed, order.viewer) {
        (None, _) => format!("An invoice may be at most {limit}, the agency's largest amount per order."),
        (Some(agreed), Party::Agency) => format!(
            "Up to {} (the agreed {} plus {}%) needs no approval; above that, approve the overrun below and say why. Never above {limit}.",
            format::money(ceiling.without_approval()),
            format::money(agreed),
            ceiling.tolerance_percent
        ),
        (
            Some(agreed),
            Party::AssignedContractor
            | Party::OwningLandlord
            | Party::RequestingTenant
            | Party::System
            | Party::Unrelated,
        ) => format!(
            "Invoice up to {}: the agreed {} plus {}%. For more, send the agency a revised estimate first (message them on this order); they approve the overrun and record the completion.",
            format::money(ceiling.without_approval()),
            format::money(agreed),
            ceiling.tolerance_percent
        ),
    };
    html! { <p class="notice-bar" data-testid="invoice-ceiling">{ text }</p> }
}

/// Staff may record an invoice past the tolerance by approving the overrun, with why.
fn overrun_input(action: Action, order: &WorkOrderDetail, form: &Form, edit: &Callback<Form>) -> Html {
    let agreed = order.invoice_ceiling.is_some_and(|ceiling| ceiling.agreed.is_some());
    if action != Action::Complete || order.viewer != Party::Agency || !agreed {
        return html! {};
    }
    let oninput = Inputs { form, edit }
        .on(|form, e: &InputEvent| form.overrun = e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <label>{ "Approve an overrun: why (only if the invoice is above the agreed cost's tolerance)" }
            <input type="text" {oninput} data-field="approve overrun" placeholder="e.g. the landlord agreed the extra by phone" />
        </label>
    }
}

/// What someone else did to the order while this form was open, before the user sends.
fn changed_meanwhile(action: Action, order: &WorkOrderDetail, still_allowed: bool) -> Html {
    let latest = order.timeline.last().map(|entry| {
        let note = if entry.note.is_empty() { String::new() } else { format!(": {}", entry.note) };
        format!("{} by {}{note}", entry.what, entry.actor)
    });
    let then = match still_allowed {
        true => "Check it, then confirm again.".to_owned(),
        false => format!("{} is not possible any more: the order is now {}.", action.label(), order.row.state.label()),
    };
    html! {
        <div class="notice-bar changed-meanwhile" role="alert" data-testid="changed-meanwhile">
            <strong>{ "This order changed while you were filling this in. " }</strong>
            { latest.unwrap_or_default() }{ ". " }{ then }
        </div>
    }
}

fn danger(action: Action) -> bool {
    matches!(action, Action::Cancel | Action::Reject | Action::Decline | Action::DeclineEstimate)
}

/// The form's inputs report each edit as the whole form, changed.
struct Inputs<'a> {
    form: &'a Form,
    edit: &'a Callback<Form>,
}

impl Inputs<'_> {
    fn on<E: AsRef<web_sys::Event> + 'static>(&self, set: impl Fn(&mut Form, &E) + 'static) -> Callback<E> {
        let (form, edit) = (self.form.clone(), self.edit.clone());
        Callback::from(move |e: E| {
            let mut next = form.clone();
            set(&mut next, &e);
            edit.emit(next);
        })
    }
}

fn text_input(inputs: &Inputs, label: &str, placeholder: &'static str, set: fn(&mut Form, String)) -> Html {
    let oninput =
        inputs.on(move |form, e: &InputEvent| set(form, e.target_unchecked_into::<HtmlInputElement>().value()));
    html! { <label>{ label }<input type="text" {placeholder} {oninput} data-field={label.to_lowercase()} /></label> }
}

fn note_input(inputs: &Inputs, label: &str) -> Html {
    let oninput =
        inputs.on(|form, e: &InputEvent| form.text = e.target_unchecked_into::<HtmlTextAreaElement>().value());
    html! { <label>{ label }<textarea rows="2" {oninput} data-field="note"></textarea></label> }
}

/// A day and time typed the agency's way (the webview's own control shows mm/dd/yyyy
/// and a 12-hour clock), kept as the ISO local text `local_to_utc` reads.
fn datetime_input(inputs: &Inputs, label: &str, set: fn(&mut Form, String)) -> Html {
    let oninput = inputs.on(move |form, e: &InputEvent| {
        let typed = e.target_unchecked_into::<HtmlInputElement>().value();
        set(form, parse_day_time(&typed).unwrap_or(typed));
    });
    html! {
        <label>{ label }
            <input type="text" inputmode="numeric" placeholder={DAY_TIME_FORMAT} class="day-time-input"
                   {oninput} data-field={label.to_lowercase()} />
        </label>
    }
}

fn select(inputs: &Inputs, label: &str, options: Html) -> Html {
    let onchange = inputs.on(|form, e: &Event| form.choice = e.target_unchecked_into::<HtmlSelectElement>().value());
    html! { <label>{ label }<select {onchange} data-field={label.to_lowercase()}>{ options }</select></label> }
}

fn fields(action: Action, form: &Form, edit: &Callback<Form>, contractors: &[ContractorChoice]) -> Html {
    let inputs = &Inputs { form, edit };
    let contractor_options = html! {
        <>
            <option value="">{ "Choose a contractor…" }</option>
            { for contractors.iter().map(|c| {
                let mut label = c.company.clone();
                if c.preferred { label.push_str(" ★"); }
                label.push_str(&format!(" · {} open", c.open_jobs));
                if !c.covers_category { label.push_str(" · other trade"); }
                if let Some(why) = &c.blocked { label.push_str(&format!(" · {why}")); }
                let value = c.id.0.to_string();
                let selected = form.choice == value;
                html! { <option {value} {selected} disabled={c.blocked.is_some()}>{ label }</option> }
            }) }
        </>
    };
    match action {
        Action::SetPriority => html! {
            <>
                { select(inputs, "Priority", html! { for Priority::ALL.iter().map(|p| html! {
                    <option value={p.as_str()} selected={form.choice == p.as_str()}>{ p.as_str() }</option>
                }) }) }
                { note_input(inputs, "Reason") }
            </>
        },
        Action::RequestApproval => {
            text_input(inputs, &format!("Estimate ({})", format::currency()), "e.g. 650", |f, v| f.amount = v)
        }
        Action::Assign => select(inputs, "Contractor", contractor_options),
        Action::Reassign => {
            html! { <>{ select(inputs, "Contractor", contractor_options) }{ note_input(inputs, "Reason") }</> }
        }
        Action::Schedule => html! {
            <>
                { datetime_input(inputs, "From", |f, v| f.start = v) }
                { datetime_input(inputs, "Until", |f, v| f.end = v) }
            </>
        },
        Action::Complete => html! {
            <>
                { note_input(inputs, "Work done") }
                { text_input(inputs, &format!("Invoice ({})", format::currency()), "e.g. 180", |f, v| f.amount = v) }
            </>
        },
        Action::Rate => html! {
            <>
                { select(inputs, "Stars", html! { for (1..=5usize).rev().map(star_option) }) }
                { note_input(inputs, "Comment") }
            </>
        },
        Action::Approve | Action::Close => note_input(inputs, "Note (optional)"),
        Action::Reject | Action::Cancel | Action::Decline | Action::Reopen => note_input(inputs, "Reason"),
        Action::DeclineEstimate => note_input(inputs, "Why? (the agency sees this, e.g. \"get a second quote\")"),
        Action::RequestReschedule => note_input(inputs, "What times suit?"),
        Action::ReportNotDone => note_input(inputs, "What is still wrong?"),
        Action::Accept | Action::Start | Action::ConfirmDone | Action::AutoClose => html! {},
    }
}

fn star_option(stars: usize) -> Html {
    let label = "★".repeat(stars);
    html! { <option value={stars.to_string()}>{ label }</option> }
}

fn local_to_utc(value: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    crate::format::local_to_utc(value).ok_or_else(|| format!("type the day and time as {DAY_TIME_FORMAT}"))
}

fn pounds(text: &str) -> Result<MoneyMinor, String> {
    MoneyMinor::parse(text).map_err(|e| e.to_string())
}

/// The step the form describes. The backend checks it again; this only catches typos.
fn step_from(action: Action, form: &Form) -> Result<Step, String> {
    let text = form.text.clone();
    Ok(match action {
        Action::SetPriority => {
            Step::SetPriority { priority: Priority::parse(&form.choice).ok_or("pick a priority")?, reason: text }
        }
        Action::RequestApproval => Step::RequestApproval { estimate_minor: pounds(&form.amount)? },
        Action::Approve => Step::Approve { note: text },
        Action::Reject => Step::Reject { reason: text },
        Action::DeclineEstimate => Step::DeclineEstimate { reason: text },
        Action::Assign => Step::Assign { contractor: contractor(&form.choice)? },
        Action::Reassign => Step::Reassign { contractor: contractor(&form.choice)?, reason: text },
        Action::Decline => Step::Decline { reason: text },
        Action::Accept => Step::Accept,
        Action::Schedule => Step::Schedule { start: local_to_utc(&form.start)?, end: local_to_utc(&form.end)? },
        Action::RequestReschedule => Step::RequestReschedule { note: text },
        Action::Start => Step::Start,
        Action::Complete => Step::Complete {
            notes: text,
            invoice_minor: pounds(&form.amount)?,
            approve_overrun: Some(form.overrun.trim().to_owned()).filter(|why| !why.is_empty()),
        },
        Action::Reopen => Step::Reopen { reason: text },
        Action::ReportNotDone => Step::ReportNotDone { report: text },
        Action::ConfirmDone => Step::ConfirmDone,
        Action::Close => Step::Close { note: text },
        Action::Cancel => Step::Cancel { reason: text },
        Action::Rate => Step::Rate { stars: form.choice.parse().unwrap_or(5), comment: text },
        Action::AutoClose => return Err("orders close themselves".to_owned()),
    })
}

fn contractor(choice: &str) -> Result<UserId, String> {
    choice.parse().map(UserId).map_err(|_| "Choose a contractor".to_owned())
}
