//! The triage queue: new orders nobody has taken on, emergencies first, then the
//! soonest response due. Driven from the keyboard: j/k move, Enter opens, E marks an
//! emergency, P sets the priority, A assigns.

use crate::components::badges::{priority_badge, sla_badge};
use crate::components::status::{empty, error_banner, loading};
use crate::components::windowed_rows::WindowedRows;
use crate::format;
use crate::keyboard::{move_selection, plain_key, use_keydown};
use crate::live::use_load;
use plumbline_domain::api::{ChangeSubject, TriageItem};
use plumbline_domain::commands;
use plumbline_domain::ids::Reference;
use plumbline_domain::repeat;
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
                None => loading(),
                Some(Err(err)) => error_banner(err),
                Some(Ok(q)) if q.items.is_empty() => empty("Nothing to triage", "Every new order has a contractor. New requests will appear here."),
                Some(Ok(q)) => {
                    let (items, selected, on_open) = (q.items.clone(), *selected, props.on_open.clone());
                    let row = Callback::from(move |index: usize| triage_row(&items[index], index, index == selected, &on_open));
                    html! {
                        <table class="orders triage" data-testid="triage" aria-rowcount={(q.items.len() + 1).to_string()}>
                            <thead><tr>
                                <th class="priority-column">{ "Priority" }</th><th class="ref-column">{ "Reference" }</th>
                                <th>{ "Property" }</th><th>{ "Issue" }</th><th class="why-column">{ "Why this priority" }</th>
                                <th class="due-column">{ "Response due" }</th><th class="sla-column">{ "SLA" }</th>
                            </tr></thead>
                            <WindowedRows count={q.items.len()} {selected} {row} />
                        </table>
                    }
                }
            } }
        </section>
    }
}

/// "⚠ Also PL-000123" under the row's reference: a link to the other open order of the
/// same fault on the same unit (not the row's own).
fn likely_duplicate(other: Option<WorkOrderId>, on_open: &Callback<WorkOrderId>) -> Html {
    let Some(other) = other else { return Html::default() };
    let reference = Reference::of(other).to_string();
    let onclick = on_open.reform(move |e: MouseEvent| {
        e.stop_propagation();
        other
    });
    html! {
        <div class="duplicate" data-testid="duplicate" title="The same fault is already open on this unit">
            { "⚠ Also " }
            <button class="link" title={format!("Open {reference}, the same fault on this unit")} {onclick}>{ reference.clone() }</button>
        </div>
    }
}

/// "↻ 3rd in 6 months": the same kind of fault at this unit before.
fn repeat_fault(item: &TriageItem) -> Html {
    if item.earlier_faults == 0 {
        return Html::default();
    }
    let headline = repeat::headline(item.earlier_faults as usize, &item.row.category);
    let short =
        format!("↻ {} in {} months", repeat::ordinal(item.earlier_faults as usize + 1), repeat::REPEAT_WINDOW_MONTHS);
    html! { <div class="repeat" data-testid="repeat" title={headline}>{ short }</div> }
}

/// Row `index` of the queue (the header is row 1 for `aria-rowindex`).
fn triage_row(item: &TriageItem, index: usize, selected: bool, on_open: &Callback<WorkOrderId>) -> Html {
    let row = &item.row;
    let id = row.id;
    let said = format!("{} · tenant said {}", row.category, item.severity.as_str().to_lowercase());
    html! {
        <tr class={classes!("order-row", selected.then_some("selected"))} data-reference={row.reference.to_string()}
            aria-rowindex={(index + 2).to_string()} aria-selected={selected.to_string()}
            onclick={on_open.reform(move |_: MouseEvent| id)}>
            <td>{ priority_badge(row.priority) }</td>
            <td>
                <div class="ref">{ row.reference.to_string() }</div>
                { likely_duplicate(item.likely_duplicate_of, on_open) }
                { repeat_fault(item) }
            </td>
            <td class="property" title={format::two_lines(&row.property, &row.unit)}>
                <div class="primary">{ &row.property }</div>
                <div class="secondary">{ &row.unit }</div>
            </td>
            <td title={format::two_lines(&row.subcategory, &said)}>
                <div class="primary">{ &row.subcategory }</div>
                <div class="secondary">{ &said }</div>
            </td>
            <td class="why" data-testid="why" title={item.triage_reason.clone()}><div class="clamp">{ &item.triage_reason }</div></td>
            <td class="due" title={format::local_date_time(item.respond_by)}>{ format::until(item.respond_by) }</td>
            <td>{ sla_badge(row.sla) }</td>
        </tr>
    }
}
