//! One work order: the request, who and where, SLA clocks and the history.

use crate::app::ActionRequest;
use crate::components::actions::Actions;
use crate::components::attachments::AttachmentsCard;
use crate::components::badges::{PriorityBadge, SlaBadge, StateBadge};
use crate::components::messages::MessagesCard;
use crate::components::payment::PaymentCard;
use crate::components::status::{ErrorBanner, Loading};
use crate::format;
use crate::keyboard::{plain_key, use_keydown};
use crate::live::use_load;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{Change, ChangeKind, ChangeSubject, TimelineEntry, WorkOrderDetail};
use plumbline_domain::commands;
use plumbline_domain::role::Party;
use plumbline_domain::{Action, WorkOrderId};
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
            // Esc first closes an open step form, the photo viewer or the notifications (their
            // own key); then it goes back.
            let form_open = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(".action-form, .attachment-viewer, .bell-panel").ok().flatten())
                .is_some();
            if plain_key(&e).as_deref() == Some("Escape") && !form_open {
                on_back.emit(());
            }
        })
    });
    let back = props.on_back.reform(|_: MouseEvent| ());
    html! {
        <section class="page detail">
            <button class="back" data-testid="back" onclick={back}>{ format!("← {}", props.back_label) }</button>
            { match &*detail {
                None => html! { <Loading /> },
                Some(Err(err)) => html! { <ErrorBanner error={err.clone()} /> },
                Some(Ok(order)) => {
                    let detail = detail.clone();
                    view(order, props.request, Callback::from(move |updated: WorkOrderDetail| detail.set(Some(Ok(updated)))))
                }
            } }
        </section>
    }
}

fn request_facts(order: &WorkOrderDetail, tenant: bool) -> Html {
    let severity = format!("{} — {}", order.severity.as_str(), order.severity.definition());
    let raised = format::local_date_time(order.row.opened_at);
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

/// A landlord asked to approve sees the decision first: the amount, what it is for and
/// where, in the tenant's words; the photos and any quote are in Attachments below.
fn approval_needed(order: &WorkOrderDetail) -> Html {
    let asked = order.viewer == Party::OwningLandlord && order.allowed_actions.contains(&Action::Approve);
    let (true, Some(estimate)) = (asked, order.estimate_minor) else { return html! {} };
    let row = &order.row;
    html! {
        <div class="card decision" data-testid="approval-needed">
            <h2>{ "Your approval is needed" }</h2>
            <p class="decision-amount">{ format::money(estimate) }</p>
            <p>{ format!("{} – {} at {}, {}", row.category, row.subcategory, order.address, row.unit) }</p>
            <blockquote class="description">{ &order.description }</blockquote>
            <p class="muted small">
                { "The estimate is above the amount you let the agency approve for you. Approve it, or decline with a reason (\"get a second quote\") and the agency will come back to you. Photos and any quote are under Attachments." }
            </p>
        </div>
    }
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

fn view(order: &WorkOrderDetail, request: Option<ActionRequest>, on_changed: Callback<WorkOrderDetail>) -> Html {
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
                    <p class="subtitle" data-testid="address">{ format!("{} · {}", order.address, row.unit) }</p>
                </div>
                <div class="badges">
                    <PriorityBadge priority={row.priority} />
                    <StateBadge state={row.state} />
                    <SlaBadge sla={row.sla} />
                </div>
            </header>
            <div class="detail-grid">
                <div class="main-col">
                    { declined_estimate(order) }
                    { approval_needed(order) }
                    <Actions order={order.clone()} {request} on_changed={on_changed.clone()} />
                    <div class="card">
                        <h2>{ "Request" }</h2>
                        <p class="description" data-testid="description">{ &order.description }</p>
                        { request_facts(order, tenant) }
                    </div>
                    <AttachmentsCard id={row.id} on_changed={on_changed.clone()} />
                    <MessagesCard id={row.id} />
                    <div class="card">
                        <h2>{ "History" }</h2>
                        <ol class="timeline" data-testid="timeline">
                            { for order.timeline.iter().rev().map(timeline_entry) }
                        </ol>
                    </div>
                </div>
                <aside class="side-col">
                    <PaymentCard order={order.clone()} {on_changed} />
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
                                <dt>{ "Estimate" }</dt><dd>{ crate::format::money(estimate) }</dd>
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
                </aside>
            </div>
        </>
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

fn timeline_entry(entry: &TimelineEntry) -> Html {
    let change = match (entry.from, entry.to) {
        (Some(from), Some(to)) if from != to => format!("{} → {}", from.label(), to.label()),
        _ => String::new(),
    };
    html! {
        <li>
            <div class="when">{ format::local_date_time(entry.at) }</div>
            <div class="what"><strong>{ &entry.what }</strong>{ " by " }{ &entry.actor }
                if !change.is_empty() { <span class="change">{ change }</span> }
            </div>
            if !entry.note.is_empty() { <div class="note">{ &entry.note }</div> }
        </li>
    }
}
