//! The steps the viewer may take on an order, exactly those the backend allows, each
//! with the few inputs it needs. The result (or the refusal) shows at once.

use crate::app::ActionRequest;
use crate::ipc;
use crate::keyboard::{action_for_key, action_key, focus_first_field, plain_key, use_keydown};
use plumbline_domain::api::{ActOnWorkOrder, CommandError, ContractorChoice, ErrorCode, Step, WorkOrderDetail};
use plumbline_domain::commands;
use plumbline_domain::{Action, MoneyMinor, Priority, UserId};
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
}

#[function_component]
pub fn Actions(props: &ActionsProps) -> Html {
    let open = use_state(|| None::<Action>);
    let form = use_state(Form::default);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let contractors = use_state(Vec::<ContractorChoice>::new);

    let choose = {
        let (open, form, error, contractors) = (open.clone(), form.clone(), error.clone(), contractors.clone());
        let id = props.order.row.id;
        Callback::from(move |(action, priority): (Action, Option<Priority>)| {
            open.set(Some(action));
            let priority = priority.unwrap_or(Priority::Urgent);
            form.set(Form { choice: priority.as_str().to_owned(), ..Form::default() });
            error.set(None);
            if matches!(action, Action::Assign | Action::Reassign) {
                let contractors = contractors.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(list) = ipc::call(commands::SuggestContractors { id }).await {
                        contractors.set(list);
                    }
                });
            }
        })
    };
    let submit = {
        let (open, form, error, busy) = (open.clone(), form.clone(), error.clone(), busy.clone());
        let (order, on_changed) = (props.order.clone(), props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(action) = *open else { return };
            let step = match step_from(action, &form) {
                Ok(step) => step,
                Err(message) => {
                    error.set(Some(CommandError { code: ErrorCode::Validation, message, field: None }));
                    return;
                }
            };
            let (id, request) = (order.row.id, ActOnWorkOrder { id: order.row.id, version: order.version, step });
            let (open, error, busy, on_changed) = (open.clone(), error.clone(), busy.clone(), on_changed.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(commands::ActOnWorkOrder { request }).await {
                    Ok(updated) => {
                        open.set(None);
                        error.set(None);
                        on_changed.emit(updated);
                    }
                    Err(err) => {
                        // Someone else changed the order: show theirs, keep the message.
                        if err.code == ErrorCode::Conflict
                            && let Ok(fresh) = ipc::call(commands::GetWorkOrder { id }).await
                        {
                            on_changed.emit(fresh);
                        }
                        error.set(Some(err));
                    }
                }
                busy.set(false);
            });
        })
    };

    {
        // A request from elsewhere opens its form once, if the step is allowed now.
        let (choose, allowed, error, open) =
            (choose.clone(), props.order.allowed_actions.clone(), error.clone(), open.clone());
        let id = props.order.row.id;
        use_effect_with(props.request, move |request| match request {
            Some(request) if allowed.contains(&request.action) => choose.emit((request.action, request.priority)),
            // Not offered now: ask the core why, rather than guess.
            Some(request) => {
                let (action, error, open) = (request.action, error.clone(), open.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    open.set(None);
                    match ipc::call(commands::ExplainAction { id, action }).await {
                        Err(refusal) => error.set(Some(refusal)),
                        Ok(()) => choose.emit((action, None)),
                    }
                });
            }
            None => {}
        });
    }
    use_effect_with(*open, |open| {
        if open.is_some() {
            focus_first_field(".action-form");
        }
    });
    use_keydown({
        let (choose, open, allowed) = (choose.clone(), open.clone(), props.order.allowed_actions.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && open.is_some() {
                e.prevent_default();
                e.stop_immediate_propagation();
                open.set(None);
                return;
            }
            if let Some(action) = plain_key(&e).and_then(|key| action_for_key(&key, &allowed)) {
                e.prevent_default();
                choose.emit((action, None));
            }
        })
    });
    if props.order.allowed_actions.is_empty() && error.is_none() {
        return html! {};
    }
    // Ctrl/Cmd+Enter confirms from any field, as in most desktop apps' forms.
    let confirm_keys = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
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
    html! {
        <div class="card actions" data-testid="actions">
            <h2>{ "Actions" }</h2>
            <div class="action-buttons">
                { for props.order.allowed_actions.iter().map(|action| {
                    let action = *action;
                    let onclick = choose.reform(move |_: MouseEvent| (action, None));
                    let class = classes!("action", (*open == Some(action)).then_some("selected"), danger(action).then_some("danger"));
                    let key = action_key(action).map(|k| k.to_ascii_uppercase());
                    let title = key.map(|k| format!("{} ({k})", action.label())).unwrap_or_else(|| format!("{} (Ctrl K)", action.label()));
                    html! {
                        <button {class} data-action={action.as_str()} {onclick} {title}>
                            { action.label() }
                            if let Some(k) = key { <kbd>{ k }</kbd> }
                        </button>
                    }
                }) }
            </div>
            if let Some(action) = *open {
                <form class="action-form" onsubmit={submit} onkeydown={confirm_keys} data-testid="action-form">
                    { fields(action, &form, &contractors) }
                    <div class="form-buttons">
                        <button type="submit" class="primary-button" disabled={*busy} data-testid="confirm">
                            { if *busy { "Saving…".to_owned() } else { action.label().to_owned() } }
                        </button>
                        <button type="button" class="link" onclick={{ let open = open.clone(); move |_| open.set(None) }}>{ "Not now" }</button>
                        <span class="form-hint"><kbd>{ "Ctrl Enter" }</kbd>{ " to confirm · " }<kbd>{ "Esc" }</kbd>{ " not now" }</span>
                    </div>
                </form>
            }
            if let Some(err) = &*error {
                <div class="error-banner" role="alert" data-testid="action-error" data-code={format!("{:?}", err.code)}>{ &err.message }</div>
            }
        </div>
    }
}

fn danger(action: Action) -> bool {
    matches!(action, Action::Cancel | Action::Reject | Action::Decline)
}

fn text_input(form: &UseStateHandle<Form>, label: &str, placeholder: &'static str, set: fn(&mut Form, String)) -> Html {
    let form = form.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let mut next = (*form).clone();
        set(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
        form.set(next);
    });
    html! { <label>{ label }<input type="text" {placeholder} {oninput} data-field={label.to_lowercase()} /></label> }
}

fn note_input(form: &UseStateHandle<Form>, label: &str) -> Html {
    let form = form.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let mut next = (*form).clone();
        next.text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
        form.set(next);
    });
    html! { <label>{ label }<textarea rows="2" {oninput} data-field="note"></textarea></label> }
}

fn datetime_input(form: &UseStateHandle<Form>, label: &str, set: fn(&mut Form, String)) -> Html {
    let form = form.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let mut next = (*form).clone();
        set(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
        form.set(next);
    });
    html! { <label>{ label }<input type="datetime-local" {oninput} data-field={label.to_lowercase()} /></label> }
}

fn select(form: &UseStateHandle<Form>, label: &str, options: Html) -> Html {
    let form = form.clone();
    let onchange = Callback::from(move |e: Event| {
        let mut next = (*form).clone();
        next.choice = e.target_unchecked_into::<HtmlSelectElement>().value();
        form.set(next);
    });
    html! { <label>{ label }<select {onchange} data-field={label.to_lowercase()}>{ options }</select></label> }
}

fn fields(action: Action, form: &UseStateHandle<Form>, contractors: &[ContractorChoice]) -> Html {
    let contractor_options = html! {
        <>
            <option value="">{ "Choose a contractor…" }</option>
            { for contractors.iter().map(|c| {
                let mut label = c.company.clone();
                if c.preferred { label.push_str(" ★"); }
                label.push_str(&format!(" · {} open", c.open_jobs));
                if !c.covers_category { label.push_str(" · other trade"); }
                if let Some(why) = &c.blocked { label.push_str(&format!(" · {why}")); }
                html! { <option value={c.id.0.to_string()} disabled={c.blocked.is_some()}>{ label }</option> }
            }) }
        </>
    };
    match action {
        Action::SetPriority => html! {
            <>
                { select(form, "Priority", html! { for Priority::ALL.iter().map(|p| html! {
                    <option value={p.as_str()} selected={form.choice == p.as_str()}>{ p.as_str() }</option>
                }) }) }
                { note_input(form, "Reason") }
            </>
        },
        Action::RequestApproval => text_input(form, "Estimate (£)", "e.g. 650", |f, v| f.amount = v),
        Action::Assign => select(form, "Contractor", contractor_options),
        Action::Reassign => {
            html! { <>{ select(form, "Contractor", contractor_options) }{ note_input(form, "Reason") }</> }
        }
        Action::Schedule => html! {
            <>
                { datetime_input(form, "From", |f, v| f.start = v) }
                { datetime_input(form, "Until", |f, v| f.end = v) }
            </>
        },
        Action::Complete => html! {
            <>{ note_input(form, "Work done") }{ text_input(form, "Invoice (£)", "e.g. 180", |f, v| f.amount = v) }</>
        },
        Action::Rate => html! {
            <>
                { select(form, "Stars", html! { for (1..=5usize).rev().map(star_option) }) }
                { note_input(form, "Comment") }
            </>
        },
        Action::Approve | Action::Close => note_input(form, "Note (optional)"),
        Action::Reject | Action::Cancel | Action::Decline | Action::Reopen => note_input(form, "Reason"),
        Action::RequestReschedule => note_input(form, "What times suit?"),
        Action::ReportNotDone => note_input(form, "What is still wrong?"),
        Action::Accept | Action::Start | Action::ConfirmDone | Action::AutoClose => html! {},
    }
}

fn star_option(stars: usize) -> Html {
    let label = "★".repeat(stars);
    html! { <option value={stars.to_string()}>{ label }</option> }
}

fn local_to_utc(value: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    crate::format::local_to_utc(value).ok_or_else(|| "pick a date and time".to_owned())
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
        Action::Assign => Step::Assign { contractor: contractor(&form.choice)? },
        Action::Reassign => Step::Reassign { contractor: contractor(&form.choice)?, reason: text },
        Action::Decline => Step::Decline { reason: text },
        Action::Accept => Step::Accept,
        Action::Schedule => Step::Schedule { start: local_to_utc(&form.start)?, end: local_to_utc(&form.end)? },
        Action::RequestReschedule => Step::RequestReschedule { note: text },
        Action::Start => Step::Start,
        Action::Complete => Step::Complete { notes: text, invoice_minor: pounds(&form.amount)? },
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
    choice.parse().map(UserId).map_err(|_| "choose a contractor".to_owned())
}
