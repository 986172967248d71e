//! The triage queue: new orders nobody has taken on, emergencies first, then the
//! soonest response due. Driven from the keyboard: j/k move, Enter opens, E marks an
//! emergency, P sets the priority, A assigns.

use crate::components::badges::{PriorityBadge, SlaBadge};
use crate::components::status::{Empty, ErrorBanner, Loading};
use crate::format;
use crate::keyboard::{move_selection, plain_key, use_keydown};
use crate::live::use_load;
use plumbline_domain::api::{ChangeSubject, TriageItem};
use plumbline_domain::commands;
use plumbline_domain::ids::Reference;
use plumbline_domain::{Action, Priority, WorkOrderId};
use web_sys::KeyboardEvent;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TriageProps {
    pub on_open: Callback<WorkOrderId>,
    /// Open an order with a step's form ready (and, for "mark emergency", its priority).
    pub on_open_with: Callback<(WorkOrderId, Action, Option<Priority>)>,
}

#[function_component]
pub fn TriagePage(props: &TriageProps) -> Html {
    // New orders arrive and leave the queue as anyone submits, assigns or cancels.
    let queue =
        use_load((), |()| commands::TriageQueue {}, |change| matches!(change.subject, ChangeSubject::Order { .. }))
            .loaded;
    let selected = use_state(|| 0usize);
    let ids: Vec<WorkOrderId> = match &*queue {
        Some(Ok(q)) => q.items.iter().map(|i| i.row.id).collect(),
        _ => Vec::new(),
    };
    use_keydown({
        let (selected, on_open, on_open_with) = (selected.clone(), props.on_open.clone(), props.on_open_with.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(key) = plain_key(&e) else { return };
            let Some(&current) = ids.get(*selected) else { return };
            if move_selection(&e, &key, &selected, ids.len()) {
                return;
            }
            match key.as_str() {
                "Enter" | "o" => on_open.emit(current),
                "e" => on_open_with.emit((current, Action::SetPriority, Some(Priority::Emergency))),
                "p" => on_open_with.emit((current, Action::SetPriority, None)),
                "a" => on_open_with.emit((current, Action::Assign, None)),
                _ => {}
            }
        })
    });
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Triage queue" }</h1>
                    <p class="subtitle" data-testid="triage-count">{ match &*queue {
                        Some(Ok(q)) => format!("{} new orders waiting for a contractor. Emergencies first, then by response due.", format::thousands(q.total)),
                        _ => "Loading…".to_owned(),
                    } }</p>
                </div>
                <p class="key-hints">
                    <kbd>{ "J" }</kbd><kbd>{ "K" }</kbd>{ " move · " }<kbd>{ "Enter" }</kbd>{ " open · " }
                    <kbd>{ "E" }</kbd>{ " emergency · " }<kbd>{ "P" }</kbd>{ " priority · " }<kbd>{ "A" }</kbd>{ " assign" }
                </p>
            </header>
            { match &*queue {
                None => html! { <Loading /> },
                Some(Err(err)) => html! { <ErrorBanner error={err.clone()} /> },
                Some(Ok(q)) if q.items.is_empty() => html! {
                    <Empty title="Nothing to triage" hint="Every new order has a contractor. New requests will appear here." />
                },
                Some(Ok(q)) => html! {
                    <table class="orders triage" data-testid="triage">
                        <thead><tr>
                            <th>{ "Priority" }</th><th>{ "Reference" }</th><th>{ "Property" }</th><th>{ "Issue" }</th>
                            <th>{ "Why this priority" }</th><th>{ "Response due" }</th><th>{ "SLA" }</th>
                        </tr></thead>
                        <tbody>
                            { for q.items.iter().enumerate().map(|(i, item)| triage_row(item, i == *selected, &props.on_open)) }
                        </tbody>
                    </table>
                },
            } }
        </section>
    }
}

/// "Same fault reported as PL-000123": a link to the other order (not the row's own).
fn likely_duplicate(other: Option<WorkOrderId>, on_open: &Callback<WorkOrderId>) -> Html {
    let Some(other) = other else { return Html::default() };
    let reference = Reference::of(other).to_string();
    let onclick = on_open.reform(move |e: MouseEvent| {
        e.stop_propagation();
        other
    });
    html! {
        <div class="duplicate" data-testid="duplicate">
            { "⚠ Same fault already open on this unit: " }
            <button class="link" title={format!("Open {reference}")} {onclick}>{ reference.clone() }</button>
        </div>
    }
}

fn triage_row(item: &TriageItem, selected: bool, on_open: &Callback<WorkOrderId>) -> Html {
    let row = &item.row;
    let id = row.id;
    html! {
        <tr class={classes!("order-row", selected.then_some("selected"))} data-reference={row.reference.to_string()}
            aria-selected={selected.to_string()} onclick={on_open.reform(move |_: MouseEvent| id)}>
            <td><PriorityBadge priority={row.priority} /></td>
            <td class="ref">{ row.reference.to_string() }</td>
            <td class="property">
                <div class="primary">{ &row.property }</div>
                <div class="secondary">{ &row.unit }</div>
            </td>
            <td>
                <div class="primary">{ &row.subcategory }</div>
                <div class="secondary">{ format!("{} · tenant said {}", row.category, item.severity.as_str().to_lowercase()) }</div>
                { likely_duplicate(item.likely_duplicate_of, on_open) }
            </td>
            <td class="why" data-testid="why" title={item.triage_reason.clone()}><div class="clamp">{ &item.triage_reason }</div></td>
            <td class="due" title={format::local_date_time(item.respond_by)}>{ format::until(item.respond_by) }</td>
            <td><SlaBadge sla={row.sla} /></td>
        </tr>
    }
}
