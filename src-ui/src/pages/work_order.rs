//! One work order: the request, who and where, SLA clocks and the history.

use crate::app::ActionRequest;
use crate::components::actions::Actions;
use crate::components::attachments::AttachmentsCard;
use crate::components::badges::{priority_badge, sla_badge, state_badge};
use crate::components::decision::DecisionCard;
use crate::components::export::{Export, ExportButton};
use crate::components::history::HistoryCard;
use crate::components::messages::messages_card;
use crate::components::payment::payment_card;
use crate::components::quotes::QuotesCard;
use crate::components::status::{error_banner, loading};
use crate::keyboard::{plain_key, use_keydown};
use crate::live::use_load;
use crate::{format, ipc};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{Change, ChangeKind, ChangeSubject, WorkOrderDetail};
use plumbline_domain::commands;
use plumbline_domain::role::Party;
use plumbline_domain::{Action, Reference, State, WorkOrderId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkOrderProps {
    pub id: WorkOrderId,
    /// A step to open the form of once the order is loaded (palette, triage shortcuts).
    pub request: Option<ActionRequest>,
    /// What the way back to the list says: "Work orders", "My jobs", "My requests".
    pub back_label: AttrValue,
    pub on_back: Callback<()>,
    /// The steps allowed now, reported up for the command palette.
    pub on_actions: Callback<Vec<Action>>,
    /// Opens another order (an earlier fault at the same unit).
    pub on_open: Callback<WorkOrderId>,
}

#[function_component]
pub fn WorkOrderPage(props: &WorkOrderProps) -> Html {
    let this = props.id;
    // Its steps, payouts and attachments by anyone; messages are the thread's own.
    let concerns = move |change: &Change| {
        matches!(change.subject, ChangeSubject::Order { id } if id == this)
            && !matches!(change.kind, ChangeKind::Message | ChangeKind::InternalNote)
    };
    let detail = use_load(props.id, |id| commands::GetWorkOrder { id: *id }, concerns).loaded;
    {
        let on_actions = props.on_actions.clone();
        let allowed = match &*detail {
            Some(Ok(order)) => order.allowed_actions.clone(),
            _ => Vec::new(),
        };
        use_effect_with(allowed, move |allowed| on_actions.emit(allowed.clone()));
    }
    use_keydown({
        let on_back = props.on_back.clone();
        Callback::from(move |e: web_sys::KeyboardEvent| {
            // Esc first closes an open step form or whatever dialog is on top (the photo
            // viewer, the notifications, the About box: their own key); then it goes back.
            let something_on_top = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(".action-form, [role=dialog]").ok().flatten())
                .is_some();
            if plain_key(&e).as_deref() == Some("Escape") && !something_on_top {
                on_back.emit(());
            }
        })
    });
    let back = props.on_back.reform(|_: MouseEvent| ());
    html! {
        <section class="page detail">
            <button class="back" data-testid="back" onclick={back}>{ format!("← {}", props.back_label) }</button>
            { match &*detail {
                None => loading(),
                Some(Err(err)) => error_banner(err),
                Some(Ok(order)) => {
                    let detail = detail.clone();
                    let on_changed = Callback::from(move |updated: WorkOrderDetail| detail.set(Some(Ok(updated))));
                    view(order, props.request, on_changed, &props.on_open)
                }
            } }
        </section>
    }
}

fn request_facts(order: &WorkOrderDetail, tenant: bool) -> Html {
    let severity = format!("{} — {}", order.severity.as_str(), order.severity.definition());
    let raised = format::local_date_time(order.row.opened_at);
    // A planned visit was booked by the agency: no one reported how serious it is.
    if order.planned.is_some() {
        return html! {
            <dl class="facts">
                if !tenant { <dt>{ "Why this priority" }</dt><dd>{ &order.triage_reason }</dd> }
                <dt>{ "Raised" }</dt><dd>{ raised }</dd>
            </dl>
        };
    }
    if tenant {
        return html! {
            <dl class="facts">
                <dt>{ "How urgent you said it is" }</dt><dd>{ severity }</dd>
                <dt>{ "You reported it" }</dt><dd>{ raised }</dd>
            </dl>
        };
    }
    html! {
        <dl class="facts">
            <dt>{ "How serious the tenant says it is" }</dt><dd>{ severity }</dd>
            <dt>{ "Why this priority" }</dt><dd>{ &order.triage_reason }</dd>
            <dt>{ "Raised" }</dt><dd>{ raised }</dd>
        </dl>
    }
}

/// A landlord asked to approve sees the decision first (`DecisionCard`).
fn approval_needed(order: &WorkOrderDetail) -> Html {
    let asked = order.viewer == Party::OwningLandlord && order.allowed_actions.contains(&Action::Approve);
    if !asked {
        return Html::default();
    }
    html! { <DecisionCard order={order.clone()} /> }
}

/// An estimate the landlord turned down is the agency's next move: said at the top, with
/// their reason, until the order moves on.
fn declined_estimate(order: &WorkOrderDetail) -> Html {
    let last_step = order.timeline.iter().rev().find(|entry| entry.action.is_some());
    let Some(entry) = last_step.filter(|entry| entry.action == Some(Action::DeclineEstimate)) else { return html! {} };
    html! {
        <div class="notice-bar declined" role="status" data-testid="estimate-declined">
            <div>
                <strong>{ "Estimate declined. " }</strong>
                { &entry.note }
                if order.allowed_actions.contains(&Action::RequestApproval) {
                    <div class="muted small">{ "Get a new quote, assign another contractor, or cancel the order and tell the tenant why." }</div>
                }
            </div>
        </div>
    }
}

/// A planned job says so, and for which day: it is a booked-ahead visit, not a fault.
fn planned_mark(order: &WorkOrderDetail) -> Html {
    let Some(planned) = &order.planned else { return Html::default() };
    html! {
        <p class="planned-mark" data-testid="planned">
            <span class="pill info">{ "Planned" }</span>
            { format!(" {} · due {}", planned.title, format::day(planned.planned_for)) }
        </p>
    }
}

/// Earlier faults of the same kind at this unit: staff look for the cause
/// before sending someone out again.
fn repeat_fault(order: &WorkOrderDetail, on_open: &Callback<WorkOrderId>) -> Html {
    let Some(repeat) = &order.repeat else { return Html::default() };
    html! {
        <div class="card repeat-fault" data-testid="repeat-fault">
            <h2>{ "Repeat fault" }</h2>
            <p class="repeat-headline">{ &repeat.headline }</p>
            <ul class="repeat-list">
                { for repeat.earlier.iter().map(|earlier| {
                    let id = earlier.id;
                    let reference = Reference::of(id).to_string();
                    html! {
                        <li>
                            <button class="link ref" title={format!("Open {reference}")} onclick={on_open.reform(move |_: MouseEvent| id)}>
                                { reference.clone() }
                            </button>
                            <span>{ &earlier.subcategory }</span>
                            <span class="muted">{ format!("{} · {}", format::local_date(earlier.opened_at), earlier.state.label()) }</span>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

fn view(
    order: &WorkOrderDetail,
    request: Option<ActionRequest>,
    on_changed: Callback<WorkOrderDetail>,
    on_open: &Callback<WorkOrderId>,
) -> Html {
    let row = &order.row;
    // A tenant reads about their own request in their own words; the agency's triage
    // and SLA clocks are the agency's business.
    let tenant = order.viewer == Party::RequestingTenant;
    html! {
        <>
            <header class="detail-head" data-testid="detail" data-reference={row.reference.to_string()}>
                <div>
                    <span class="ref">{ row.reference.to_string() }</span>
                    <h1>{ format!("{} – {}", row.category, row.subcategory) }</h1>
                    <p class="subtitle" data-testid="address">
                        { format!("{} · {}", order.address, row.unit) }
                        if !tenant { <MapLink id={row.id} address={order.address.clone()} /> }
                    </p>
                </div>
                <div class="badges">
                    { priority_badge(row.priority) }
                    { state_badge(row.state) }
                    { approved_badge(order) }
                    { sla_badge(row.sla) }
                </div>
            </header>
            <div class="detail-grid">
                <div class="main-col">
                    { declined_estimate(order) }
                    { approval_needed(order) }
                    <Actions order={order.clone()} {request} on_changed={on_changed.clone()} />
                    <div class="card">
                        <h2>{ "Request" }</h2>
                        { planned_mark(order) }
                        <p class="description" data-testid="description">{ &order.description }</p>
                        { request_facts(order, tenant) }
                    </div>
                    if matches!(order.viewer, Party::Agency | Party::OwningLandlord) {
                        <QuotesCard order={order.clone()} on_changed={on_changed.clone()} />
                    }
                    <AttachmentsCard id={row.id} on_changed={on_changed.clone()} />
                    { messages_card(row.id) }
                    <HistoryCard id={row.id} timeline={order.timeline.clone()} earlier={order.earlier_history} />
                </div>
                <aside class="side-col">
                    if !tenant { { repeat_fault(order, on_open) } }
                    { payment_card(order, &on_changed) }
                    if !tenant {
                        <div class="card">
                            <h2>{ "SLA" }</h2>
                            <dl class="facts">
                                <dt>{ "Respond by" }</dt><dd>{ due(order.respond_by, order.responded_at, "responded") }</dd>
                                <dt>{ "Resolve by" }</dt><dd>{ due(order.resolve_by, order.resolved_at, "resolved") }</dd>
                            </dl>
                        </div>
                    }
                    <div class="card">
                        <h2>{ "People" }</h2>
                        <dl class="facts">
                            <dt>{ "Tenant" }</dt>
                            <dd>{ order.tenant.clone().unwrap_or_else(|| "—".into()) }
                                if let Some(phone) = &order.tenant_phone { <span class="secondary">{ format!(" · {phone}") }</span> }
                            </dd>
                            <dt>{ "Landlord" }</dt><dd>{ &order.landlord }</dd>
                            <dt>{ "Contractor" }</dt><dd>{ row.contractor.clone().unwrap_or_else(|| "Not assigned".into()) }</dd>
                            if let Some((start, end)) = order.appointment {
                                <dt>{ "Appointment" }</dt>
                                <dd>{ format!("{}–{}", format::local_date_time(start), format::local_time(end)) }</dd>
                            }
                            if let Some(estimate) = order.estimate_minor {
                                <dt>{ "Estimate" }</dt><dd>{ format::money(estimate) }</dd>
                            }
                            if let Some(approved) = order.approved_minor {
                                <dt>{ "Approved" }</dt><dd data-testid="approved-cost">{ format::money(approved) }</dd>
                            }
                            if let Some(invoice) = row.cost {
                                <dt>{ "Invoice" }</dt><dd data-testid="invoice">{ format::money(invoice) }</dd>
                            }
                        </dl>
                    </div>
                    <div class="card">
                        <h2>{ "Access" }</h2>
                        <dl class="facts" data-testid="access">
                            if let Some(code) = &order.access.gate_code { <dt>{ "Gate code" }</dt><dd class="code">{ code }</dd> }
                            if let Some(code) = &order.access.lockbox_code { <dt>{ "Lockbox" }</dt><dd class="code">{ code }</dd> }
                            <dt>{ "Pets" }</dt><dd>{ or_none(&order.access.pets) }</dd>
                            <dt>{ "Best contact" }</dt><dd>{ or_none(&order.access.best_contact) }</dd>
                            <dt>{ "Preferred times" }</dt><dd>{ or_none(&order.access.preferred_times) }</dd>
                        </dl>
                    </div>
                    // Saved through the desktop's dialog, or a browser's download.
                    if !tenant { <Paperwork id={row.id} agency={order.viewer == Party::Agency} /> }
                </aside>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PaperworkProps {
    id: WorkOrderId,
    /// The agency may put its internal notes in the evidence pack.
    agency: bool,
}

/// The order as PDFs to send on: one page, or everything for a dispute or an insurer.
#[function_component]
fn Paperwork(props: &PaperworkProps) -> Html {
    let internal_notes = use_state(|| false);
    let toggle = {
        let internal_notes = internal_notes.clone();
        Callback::from(move |_: Event| internal_notes.set(!*internal_notes))
    };
    let id = props.id;
    html! {
        <div class="card paperwork" data-testid="paperwork">
            <h2>{ "Paperwork" }</h2>
            <p class="muted small">{ "This order as you see it, as a PDF to send to a landlord, an insurer or a deposit scheme." }</p>
            <ExportButton testid="export-summary" export={Export::Summary(id)} />
            <ExportButton testid="export-pack" export={Export::EvidencePack { id, internal_notes: *internal_notes }} />
            if props.agency {
                <label class="check-label small">
                    <input type="checkbox" data-testid="pack-internal-notes" checked={*internal_notes} onchange={toggle} />
                    { " Include internal notes in the evidence pack" }
                </label>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MapLinkProps {
    id: WorkOrderId,
    /// The order's address, as the backend gave it.
    address: String,
}

/// "Map ↗": the address in the browser's map, for whoever travels there. The desktop
/// asks the shell to open it (which reads the address itself); a browser follows a
/// link, in a new tab.
#[function_component]
fn MapLink(props: &MapLinkProps) -> Html {
    let error = use_state(|| None::<String>);
    let title = "Open the address on a map in your browser";
    if ipc::in_browser() {
        let href = plumbline_domain::map::search_url(&props.address);
        return html! {
            <>
                { " · " }
                <a class="link-button" data-testid="map" {title} {href} target="_blank" rel="noopener noreferrer">{ "Map ↗" }</a>
            </>
        };
    }
    let onclick = {
        let (id, error) = (props.id, error.clone());
        Callback::from(move |_: MouseEvent| {
            let error = error.clone();
            ipc::call_then(commands::OpenMap { id }, move |answer| error.set(answer.err().map(|err| err.message)));
        })
    };
    html! {
        <>
            { " · " }
            <button type="button" class="link-button" data-testid="map" {title} {onclick}>
                { "Map ↗" }
            </button>
            if let Some(message) = &*error { <span class="field-error inline" role="alert">{ format!(" {message}") }</span> }
        </>
    }
}

/// An approved order back at New is not a fresh request: it says so, and what it waits for.
fn approved_badge(order: &WorkOrderDetail) -> Html {
    if order.approved_minor.is_none() || order.row.state != State::New {
        return Html::default();
    }
    html! {
        <span class="badge approved" data-testid="approved-badge" title="The cost is approved; the agency is choosing a contractor">
            { "Approved · awaiting contractor" }
        </span>
    }
}

fn or_none(text: &str) -> String {
    if text.is_empty() { "None given".to_owned() } else { text.to_owned() }
}

/// A due time with how it stands: time left, overdue, or when the clock stopped.
fn due(at: DateTime<Utc>, stopped: Option<DateTime<Utc>>, verb: &str) -> Html {
    let (class, status) = match stopped {
        Some(done) if done <= at => ("met", format!("{verb} {}", format::local_date_time(done))),
        Some(done) => ("missed", format!("{verb} late, {}", format::local_date_time(done))),
        None => ("secondary", format::until(at)),
    };
    html! { <>{ format::local_date_time(at) }<div class={classes!("clock", class)}>{ status }</div></> }
}
