//! The work-order list: every filter, sort by any column, one keyset page of at most
//! `PAGE_SIZE` rows at a time (only those near the viewport built, `WindowedRows`), and
//! j/k/Enter to move and open.

use crate::components::badges::{priority_badge, sla_badge, state_badge};
use crate::components::export::{Export, ExportButton};
use crate::components::filters::FilterBar;
use crate::components::palette::corrected_note;
use crate::components::status::{empty, error_banner, loading};
use crate::components::windowed_rows::WindowedRows;
use crate::keyboard::{move_selection, plain_key, use_keydown};
use crate::live::{Loaded, read, use_changes};
use crate::{format, ipc};
use plumbline_domain::api::{
    ChangeSubject, CommandError, Correction, ListColumn, ListCursor, ListSort, ListWorkOrders, SortColumn,
    WorkOrderFilter, WorkOrderRow, list_columns,
};
use plumbline_domain::commands;
use plumbline_domain::{Role, WorkOrderId};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::KeyboardEvent;
use yew::prelude::*;

pub const PAGE_SIZE: u32 = 100;

/// What the list shows and in which order; kept by the app across navigation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListView {
    pub filter: WorkOrderFilter,
    pub sort: ListSort,
}

#[derive(Properties, PartialEq)]
pub struct WorkOrdersProps {
    /// What the signed-in role calls this list: "Work orders", "My jobs", "My requests".
    pub title: AttrValue,
    /// Who reads the list: the columns and filters are theirs.
    pub viewer: Role,
    pub view: ListView,
    pub on_view: Callback<ListView>,
    pub on_open: Callback<WorkOrderId>,
}

/// One page on screen and how to get to its neighbours.
#[derive(Clone, PartialEq, Default)]
struct Page {
    rows: Vec<WorkOrderRow>,
    /// Where each page so far started; the last is this page's start.
    starts: Vec<Option<ListCursor>>,
    next: Option<ListCursor>,
    total: u64,
    /// How the search box's words were read, when any were read as others.
    corrected: Vec<Correction>,
}

impl Page {
    fn first_row_number(&self) -> usize {
        (self.starts.len().saturating_sub(1)) * PAGE_SIZE as usize + 1
    }
}

/// Reads one page; an answer overtaken by a newer read (a quicker filter change, a
/// page turned meanwhile) is dropped.
fn fetch(view: ListView, starts: Vec<Option<ListCursor>>, total: u64, page: Loaded<Page>, latest: Rc<RefCell<u64>>) {
    let after = starts.last().cloned().flatten();
    let request = ListWorkOrders { filter: view.filter, sort: view.sort, after, limit: PAGE_SIZE };
    let answer = async move {
        ipc::call(commands::ListWorkOrders { request }).await.map(|answer| Page {
            rows: answer.rows,
            starts,
            next: answer.next,
            total: answer.total.unwrap_or(total),
            corrected: answer.corrected,
        })
    };
    read(answer, page, latest);
}

#[function_component]
pub fn WorkOrdersPage(props: &WorkOrdersProps) -> Html {
    let page = use_state(|| None::<Result<Page, CommandError>>);
    let latest = use_mut_ref(|| 0_u64);
    let selected = use_state(|| 0usize);
    let changes = use_changes(|change| matches!(change.subject, ChangeSubject::Order { .. }));
    {
        let (page, selected, latest) = (page.clone(), selected.clone(), latest.clone());
        use_effect_with(props.view.clone(), move |view| {
            page.set(None);
            selected.set(0);
            fetch(view.clone(), vec![None], 0, page, latest);
        });
    }
    let loaded = match &*page {
        Some(Ok(loaded)) => Some(loaded.clone()),
        _ => None,
    };
    {
        // Someone changed an order: this same page again, in place, selection kept.
        let (page, latest, view, loaded) = (page.clone(), latest.clone(), props.view.clone(), loaded.clone());
        use_effect_with(changes, move |changes| {
            if *changes > 0
                && let Some(current) = loaded
            {
                fetch(view, current.starts, current.total, page, latest);
            }
        });
    }
    let turn = {
        let (page, selected, view, loaded, latest) =
            (page.clone(), selected.clone(), props.view.clone(), loaded.clone(), latest.clone());
        Callback::from(move |forward: bool| {
            let Some(current) = &loaded else { return };
            let mut starts = current.starts.clone();
            match (forward, &current.next) {
                (true, Some(next)) => starts.push(Some(next.clone())),
                (false, _) if starts.len() > 1 => {
                    starts.pop();
                }
                _ => return,
            }
            selected.set(0);
            fetch(view.clone(), starts, current.total, page.clone(), latest.clone());
        })
    };
    use_keydown({
        let (selected, on_open, turn) = (selected.clone(), props.on_open.clone(), turn.clone());
        let ids: Vec<WorkOrderId> = loaded.iter().flat_map(|l| l.rows.iter().map(|r| r.id)).collect();
        Callback::from(move |e: KeyboardEvent| {
            let Some(key) = plain_key(&e) else { return };
            if move_selection(&e, &key, &selected, ids.len()) {
                return;
            }
            match key.as_str() {
                "Enter" | "o" => {
                    if let Some(id) = ids.get(*selected) {
                        on_open.emit(*id);
                    }
                }
                "]" => turn.emit(true),
                "[" => turn.emit(false),
                _ => {}
            }
        })
    });
    // Stable across renders, so moving the selection does not redraw the filter menus.
    let on_filter = use_callback((props.view.clone(), props.on_view.clone()), |filter, (view, on_view)| {
        on_view.emit(ListView { filter, ..view.clone() })
    });
    let on_sort = {
        let (view, on_view) = (props.view.clone(), props.on_view.clone());
        Callback::from(move |column: SortColumn| {
            let descending = match view.sort.column == column {
                true => !view.sort.descending,
                false => column.natural_descending(),
            };
            on_view.emit(ListView { sort: ListSort { column, descending }, ..view.clone() });
        })
    };
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ &props.title }</h1>
                    <p class="subtitle" data-testid="list-count">{ count_line(loaded.as_ref()) }</p>
                    { loaded.as_ref().map(|page| corrected_note(&page.corrected, "subtitle corrected", "list-corrected")).unwrap_or_default() }
                </div>
                <div class="head-actions">
                    <ExportButton testid="export-csv" export={Export::List { filter: props.view.filter.clone(), sort: props.view.sort }} />
                    { pager(loaded.as_ref(), &turn) }
                </div>
            </header>
            <FilterBar filter={props.view.filter.clone()} {on_filter} status_only={props.viewer == Role::Tenant} />
            { match &*page {
                None => loading(),
                Some(Err(err)) => error_banner(err),
                Some(Ok(l)) if l.rows.is_empty() => empty("No work orders match these filters", "Clear a filter or two to see more."),
                Some(Ok(l)) => html! {
                    <OrderTable rows={l.rows.clone()} sort={props.view.sort} selected={*selected} columns={list_columns(props.viewer)}
                                on_sort={on_sort} on_open={props.on_open.clone()} />
                },
            } }
        </section>
    }
}

fn count_line(page: Option<&Page>) -> String {
    match page {
        None => "Loading orders…".to_owned(),
        Some(p) if p.rows.is_empty() => "No orders".to_owned(),
        Some(p) => {
            let first = p.first_row_number();
            let last = first + p.rows.len() - 1;
            format!("Showing {first}–{last} of {} orders", format::thousands(p.total))
        }
    }
}

fn pager(page: Option<&Page>, on_turn: &Callback<bool>) -> Html {
    let Some(page) = page else { return html! {} };
    let (has_previous, has_next) = (page.starts.len() > 1, page.next.is_some());
    html! {
        <div class="pager">
            <button class="ghost" data-testid="previous-page" disabled={!has_previous}
                    title="Previous page ( [ )" onclick={on_turn.reform(|_: MouseEvent| false)}>{ "‹ Previous" }</button>
            <button class="ghost" data-testid="next-page" disabled={!has_next}
                    title="Next page ( ] )" onclick={on_turn.reform(|_: MouseEvent| true)}>{ "Next ›" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct OrderTableProps {
    rows: Vec<WorkOrderRow>,
    columns: Vec<ListColumn>,
    sort: ListSort,
    selected: usize,
    on_sort: Callback<SortColumn>,
    on_open: Callback<WorkOrderId>,
}

#[function_component]
fn OrderTable(props: &OrderTableProps) -> Html {
    let row = {
        let (rows, columns, selected, on_open) =
            (props.rows.clone(), props.columns.clone(), props.selected, props.on_open.clone());
        Callback::from(move |index: usize| order_row(&rows[index], index, index == selected, &columns, &on_open))
    };
    html! {
        <table class="orders" data-testid="work-orders" aria-rowcount={(props.rows.len() + 1).to_string()}>
            <thead>
                <tr>{ for props.columns.iter().map(|column| match column {
                    ListColumn::Sorted(sort, label) => header(*sort, label, props.sort, &props.on_sort),
                    ListColumn::Cost(label) => html! { <th class="num" data-column="Cost">{ *label }</th> },
                }) }</tr>
            </thead>
            <WindowedRows count={props.rows.len()} selected={props.selected} {row} />
        </table>
    }
}

fn header(column: SortColumn, label: &str, sort: ListSort, on_sort: &Callback<SortColumn>) -> Html {
    let sorted = sort.column == column;
    let arrow = match (sorted, sort.descending) {
        (false, _) => "",
        (true, true) => " ▼",
        (true, false) => " ▲",
    };
    let aria = match (sorted, sort.descending) {
        (false, _) => "none",
        (true, true) => "descending",
        (true, false) => "ascending",
    };
    let class = classes!("sortable", (column == SortColumn::Opened).then_some("num"), sorted.then_some("sorted"));
    html! {
        <th {class} aria-sort={aria} data-column={format!("{column:?}")} title={format!("Sort by {}", label.to_lowercase())}
            onclick={on_sort.reform(move |_: MouseEvent| column)}>
            { label }{ arrow }
        </th>
    }
}

/// Row `index` of the page (the header is row 1 for `aria-rowindex`).
fn order_row(
    row: &WorkOrderRow,
    index: usize,
    selected: bool,
    columns: &[ListColumn],
    on_open: &Callback<WorkOrderId>,
) -> Html {
    let id = row.id;
    let onclick = on_open.reform(move |_: MouseEvent| id);
    html! {
        <tr class={classes!("order-row", selected.then_some("selected"))} data-reference={row.reference.to_string()}
            aria-rowindex={(index + 2).to_string()} aria-selected={selected.to_string()} {onclick}>
            { for columns.iter().map(|column| cell(row, *column)) }
        </tr>
    }
}

fn cell(row: &WorkOrderRow, column: ListColumn) -> Html {
    let sorted = match column {
        ListColumn::Sorted(sorted, _) => sorted,
        ListColumn::Cost(_) => {
            return html! { <td class="num cost">{ row.cost.map(format::money).unwrap_or_else(|| "—".to_owned()) }</td> };
        }
    };
    match sorted {
        SortColumn::Reference => html! { <td class="ref">{ row.reference.to_string() }</td> },
        SortColumn::Property => html! {
            <td class="property" title={format::two_lines(&row.property, &row.unit)}>
                <div class="primary">{ &row.property }</div>
                <div class="secondary">{ &row.unit }</div>
            </td>
        },
        SortColumn::Issue => html! {
            <td title={format::two_lines(&row.subcategory, &row.category)}>
                <div class="primary">{ &row.subcategory }</div>
                <div class="secondary">{ &row.category }</div>
            </td>
        },
        SortColumn::Priority => html! { <td>{ priority_badge(row.priority) }</td> },
        SortColumn::State => html! { <td>{ state_badge(row.state) }</td> },
        SortColumn::Sla => html! { <td>{ sla_badge(row.sla) }</td> },
        SortColumn::Contractor => html! {
            <td class="secondary contractor" data-column="Contractor" title={row.contractor.clone().unwrap_or_default()}>
                { row.contractor.clone().unwrap_or_else(|| "—".to_owned()) }
            </td>
        },
        SortColumn::Opened => {
            html! { <td class="num" data-column="Opened" title={format::local_date_time(row.opened_at)}>{ format::age(row.opened_at) }</td> }
        }
    }
}
