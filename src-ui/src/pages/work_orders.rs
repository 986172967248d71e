//! The work-order list: filters, newest first, more rows on demand (keyset pages).

use crate::components::badges::{PriorityBadge, SlaBadge, StateBadge};
use crate::components::status::{Empty, ErrorBanner, Loading};
use crate::{format, ipc};
use plumbline_domain::api::{CommandError, ListCursor, ListWorkOrders, WorkOrderFilter, WorkOrderRow};
use plumbline_domain::{Priority, State, WorkOrderId};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

const PAGE_SIZE: u32 = 100;

#[derive(Properties, PartialEq)]
pub struct WorkOrdersProps {
    pub filter: WorkOrderFilter,
    pub on_filter: Callback<WorkOrderFilter>,
    pub on_open: Callback<WorkOrderId>,
}

#[derive(Clone, PartialEq, Default)]
struct Loaded {
    rows: Vec<WorkOrderRow>,
    next: Option<ListCursor>,
    total: u64,
}

/// The state filter's choices: "Open" groups every state that still needs work.
const OPEN: &str = "open";

fn open_states() -> Vec<State> {
    State::ALL.into_iter().filter(|s| !s.is_terminal()).collect()
}

fn state_choice(filter: &WorkOrderFilter) -> String {
    match filter.states.as_slice() {
        [] => String::new(),
        [one] => one.as_str().to_owned(),
        _ => OPEN.to_owned(),
    }
}

fn fetch(
    filter: WorkOrderFilter,
    after: Option<ListCursor>,
    loaded: UseStateHandle<Option<Loaded>>,
    error: UseStateHandle<Option<CommandError>>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let request = ListWorkOrders { filter, after: after.clone(), limit: PAGE_SIZE };
        match ipc::list_work_orders(&request).await {
            Ok(page) => {
                let mut rows = if after.is_some() { (*loaded).clone().unwrap_or_default().rows } else { Vec::new() };
                rows.extend(page.rows);
                loaded.set(Some(Loaded { rows, next: page.next, total: page.total }));
                error.set(None);
            }
            Err(err) => error.set(Some(err)),
        }
    });
}

#[function_component]
pub fn WorkOrdersPage(props: &WorkOrdersProps) -> Html {
    let loaded = use_state(|| None::<Loaded>);
    let error = use_state(|| None::<CommandError>);
    {
        let (loaded, error) = (loaded.clone(), error.clone());
        use_effect_with(props.filter.clone(), move |filter| {
            loaded.set(None);
            fetch(filter.clone(), None, loaded, error);
        });
    }
    let on_state = {
        let (filter, on_filter) = (props.filter.clone(), props.on_filter.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let states = match value.as_str() {
                "" => vec![],
                OPEN => open_states(),
                one => State::parse(one).into_iter().collect(),
            };
            on_filter.emit(WorkOrderFilter { states, ..filter.clone() });
        })
    };
    let on_priority = {
        let (filter, on_filter) = (props.filter.clone(), props.on_filter.clone());
        Callback::from(move |e: Event| {
            let priority = Priority::parse(&e.target_unchecked_into::<HtmlSelectElement>().value());
            on_filter.emit(WorkOrderFilter { priority, ..filter.clone() });
        })
    };
    let on_more = {
        let (filter, loaded, error) = (props.filter.clone(), loaded.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let after = loaded.as_ref().and_then(|l| l.next.clone());
            fetch(filter.clone(), after, loaded.clone(), error.clone());
        })
    };
    let selected_state = state_choice(&props.filter);
    let selected_priority = props.filter.priority.map(Priority::as_str).unwrap_or_default();

    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Work orders" }</h1>
                    <p class="subtitle" data-testid="list-count">
                        { match &*loaded {
                            Some(l) => format!("Showing {} of {} orders", l.rows.len(), l.total),
                            None => "Loading orders…".to_owned(),
                        } }
                    </p>
                </div>
                <div class="filters">
                    <label>{ "Status" }
                        <select data-testid="filter-state" onchange={on_state}>
                            <option value="" selected={selected_state.is_empty()}>{ "All" }</option>
                            <option value={OPEN} selected={selected_state == OPEN}>{ "Open (needs work)" }</option>
                            { for State::ALL.iter().map(|s| html! {
                                <option value={s.as_str()} selected={selected_state == s.as_str()}>{ s.label() }</option>
                            }) }
                        </select>
                    </label>
                    <label>{ "Priority" }
                        <select data-testid="filter-priority" onchange={on_priority}>
                            <option value="" selected={selected_priority.is_empty()}>{ "All" }</option>
                            { for Priority::ALL.iter().map(|p| html! {
                                <option value={p.as_str()} selected={selected_priority == p.as_str()}>{ p.as_str() }</option>
                            }) }
                        </select>
                    </label>
                </div>
            </header>
            if let Some(err) = &*error { <ErrorBanner error={err.clone()} /> }
            { match &*loaded {
                None => html! { <Loading /> },
                Some(l) if l.rows.is_empty() => html! {
                    <Empty title="No work orders match" hint="Try another status or priority." />
                },
                Some(l) => html! {
                    <>
                        <OrderTable rows={l.rows.clone()} on_open={props.on_open.clone()} />
                        if l.next.is_some() {
                            <button class="more" data-testid="load-more" onclick={on_more}>{ "Show more" }</button>
                        }
                    </>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OrderTableProps {
    rows: Vec<WorkOrderRow>,
    on_open: Callback<WorkOrderId>,
}

#[function_component]
fn OrderTable(props: &OrderTableProps) -> Html {
    html! {
        <table class="orders" data-testid="work-orders">
            <thead>
                <tr>
                    <th>{ "Reference" }</th><th>{ "Property" }</th><th>{ "Issue" }</th><th>{ "Priority" }</th>
                    <th>{ "Status" }</th><th>{ "SLA" }</th><th>{ "Contractor" }</th><th class="num">{ "Age" }</th>
                </tr>
            </thead>
            <tbody>
                { for props.rows.iter().map(|row| {
                    let id = row.id;
                    let onclick = props.on_open.reform(move |_: MouseEvent| id);
                    html! {
                        <tr class="order-row" data-reference={row.reference.to_string()} {onclick} tabindex="0">
                            <td class="ref">{ row.reference.to_string() }</td>
                            <td class="property">
                                <div class="primary">{ &row.property }</div>
                                <div class="secondary">{ &row.unit }</div>
                            </td>
                            <td>
                                <div class="primary">{ &row.subcategory }</div>
                                <div class="secondary">{ &row.category }</div>
                            </td>
                            <td><PriorityBadge priority={row.priority} /></td>
                            <td><StateBadge state={row.state} /></td>
                            <td><SlaBadge sla={row.sla} /></td>
                            <td class="secondary contractor" title={row.contractor.clone().unwrap_or_default()}>
                                { row.contractor.clone().unwrap_or_else(|| "—".to_owned()) }
                            </td>
                            <td class="num" title={format::local_date_time(row.opened_at)}>{ format::age(row.opened_at) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
