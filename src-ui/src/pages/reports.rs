//! Reports (staff; a landlord's own): how the agency performs. One tab per report; the
//! period and the filters apply to every tab; each shows its headline figures, its
//! charts and the table they are drawn from, and saves that table as CSV.

use crate::components::chart::ChartView;
use crate::components::day_input::DayInput;
use crate::components::export::{Export, ExportButton};
use crate::components::filters::use_filter_options;
use crate::components::name_picker::{NameList, NamePicker, Picked};
use crate::components::status::error_banner;
use crate::{format, ipc};
use plumbline_domain::api::{
    Cell, CommandError, LandlordRecord, Named, Report, ReportFilter, ReportKind, ReportRequest, Table,
};
use plumbline_domain::commands;
use plumbline_domain::ids::{CategoryId, PropertyId};
use plumbline_domain::{Priority, Role};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportsProps {
    pub role: Role,
}

/// The twelve months to today, this one included.
fn last_twelve_months() -> ReportFilter {
    ReportFilter::twelve_months_to(format::today_input().parse().unwrap_or_default())
}

#[function_component]
pub fn ReportsPage(props: &ReportsProps) -> Html {
    let kind = use_state(|| ReportKind::TimeToClose);
    let filter = use_state(last_twelve_months);
    // Each answer with the request it answers; one overtaken by a later tab or filter
    // (the latest request asked) is dropped.
    let answer = use_state(|| None::<(ReportRequest, Result<Report, CommandError>)>);
    let latest = use_mut_ref(|| None::<ReportRequest>);
    let request = ReportRequest { kind: *kind, filter: (*filter).clone() };
    {
        let (answer, latest) = (answer.clone(), latest.clone());
        use_effect_with(request.clone(), move |request| {
            let request = request.clone();
            *latest.borrow_mut() = Some(request.clone());
            ipc::call_then(commands::RunReport { request: request.clone() }, move |report| {
                if latest.borrow().as_ref() == Some(&request) {
                    answer.set(Some((request, report)));
                }
            });
        });
    }
    let current = answer.as_ref().filter(|(answered, _)| *answered == request).map(|(_, report)| report);
    // While a new filter is worked out, the same report's last figures stay, dimmed, so
    // the screen does not blank at every change; another tab starts afresh.
    let previous = answer.as_ref().and_then(|(answered, report)| {
        report.as_ref().ok().filter(|_| current.is_none() && answered.kind == request.kind)
    });
    html! {
        <section class="page reports-page" data-testid="reports">
            <header class="page-head">
                <div>
                    <h1>{ "Reports" }</h1>
                    <p class="muted">{ if props.role == Role::Landlord {
                        "How the work on your properties is going: speed, targets, repeat faults, contractors and spend."
                    } else {
                        "How the agency performs: speed, targets, repeat faults, contractors and spend."
                    } }</p>
                </div>
                <ExportButton testid="export-report" export={Export::Report(request.clone())} />
            </header>
            <div class="tabs" role="tablist">
                { for ReportKind::ALL.into_iter().map(|k| {
                    let onclick = { let kind = kind.clone(); Callback::from(move |_: MouseEvent| kind.set(k)) };
                    html! {
                        <button role="tab" aria-selected={(k == *kind).to_string()} class={classes!("tab", (k == *kind).then_some("active"))}
                                data-testid={format!("report-tab-{}", k.slug())} {onclick}>{ k.title() }</button>
                    }
                }) }
            </div>
            <ReportFilters role={props.role} kind={*kind} filter={(*filter).clone()}
                           on_filter={Callback::from({ let filter = filter.clone(); move |f| filter.set(f) })} />
            { match current {
                Some(Err(error)) => error_banner(error),
                Some(Ok(report)) => view(report, true),
                None => match previous {
                    Some(report) => html! {
                        <div class="report-updating" aria-busy="true" data-testid="report-updating">
                            <p class="muted">{ "Updating for the new filter…" }</p>
                            { view(report, false) }
                        </div>
                    },
                    None => html! { <p class="muted" data-testid="report-loading">{ "Working it out…" }</p> },
                },
            } }
        </section>
    }
}

/// The report; one still `fresh` is the answer to the filter shown (tests wait for it).
fn view(report: &Report, fresh: bool) -> Html {
    let currency = AttrValue::from(report.currency.clone());
    let testid = if fresh { format!("report-{}", report.kind.slug()) } else { "report-stale".to_owned() };
    html! {
        <div class="report" data-testid={testid}>
            <p class="muted period" data-testid="report-period">{ &report.period }</p>
            <div class="tiles" data-testid="report-figures">
                { for report.figures.iter().map(|figure| html! {
                    <div class="tile figure" data-label={figure.label.clone()}>
                        <span class="tile-count">{ figure.value.show(&report.currency) }</span>
                        <span class="tile-label">{ &figure.label }</span>
                    </div>
                }) }
            </div>
            <div class="charts">
                { for report.charts.iter().enumerate().map(|(i, chart)| html! {
                    <ChartView chart={chart.clone()} currency={currency.clone()} testid={format!("chart-{i}")} wide={report.charts.len() == 1} />
                }) }
            </div>
            { table(&report.table, &report.currency) }
        </div>
    }
}

/// The table, a heading row before each section's first row.
fn table(table: &Table, currency: &str) -> Html {
    if table.rows.is_empty() {
        return html! { <p class="muted" data-testid="report-empty">{ "Nothing to report in this period." }</p> };
    }
    // Sectioned tables (first column "By" or "Pattern") show the section as a heading.
    let sectioned = matches!(table.columns.first().map(String::as_str), Some("By" | "Pattern"));
    let skip = usize::from(sectioned);
    let mut last_section = None::<String>;
    let width = table.columns.len() - skip;
    html! {
        <>
            <table class="report-table" data-testid="report-table">
                <thead><tr>{ for table.columns.iter().enumerate().skip(skip).map(|(i, c)| html! {
                    <th class={classes!(numeric(table, i).then_some("number"))}>{ c }</th>
                }) }</tr></thead>
                <tbody>
                    { for table.rows.iter().map(|row| {
                        let section = row.first().map(|c| c.show(currency)).filter(|_| sectioned);
                        let heading = (section != last_section).then(|| section.clone()).flatten();
                        last_section = section;
                        html! {
                            <>
                                if let Some(heading) = heading {
                                    <tr class="section"><th colspan={width.to_string()}>{ heading }</th></tr>
                                }
                                <tr>{ for row.iter().skip(skip).map(|c| cell(c, currency)) }</tr>
                            </>
                        }
                    }) }
                </tbody>
            </table>
            if let Some(note) = &table.note { <p class="muted">{ note }</p> }
        </>
    }
}

/// Whether column `index` holds numbers (its heading then sits over them, on the right).
fn numeric(table: &Table, index: usize) -> bool {
    table.rows.iter().any(|row| matches!(row.get(index), Some(Cell::Number(..))))
}

fn cell(cell: &Cell, currency: &str) -> Html {
    match cell {
        Cell::Number(..) => html! { <td class="number">{ cell.show(currency) }</td> },
        Cell::Blank => html! { <td class="number muted">{ cell.show(currency) }</td> },
        Cell::Text(_) => html! { <td>{ cell.show(currency) }</td> },
    }
}

#[derive(Properties, PartialEq)]
struct ReportFiltersProps {
    role: Role,
    kind: ReportKind,
    filter: ReportFilter,
    on_filter: Callback<ReportFilter>,
}

/// The period, landlord (staff), property, category and priority; the repeat window.
#[function_component]
fn ReportFilters(props: &ReportFiltersProps) -> Html {
    let options = use_filter_options();
    let landlords = use_state(Vec::<LandlordRecord>::new);
    let filter = &props.filter;
    let set = |apply: fn(&mut ReportFilter, String)| {
        let (filter, on_filter) = (filter.clone(), props.on_filter.clone());
        Callback::from(move |value: String| {
            let mut next = filter.clone();
            apply(&mut next, value);
            on_filter.emit(next);
        })
    };
    let select = |apply| set(apply).reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    let pick_landlord = {
        let (filter, on_filter, landlords) = (filter.clone(), props.on_filter.clone(), landlords.clone());
        Callback::from(move |picked: Picked| {
            let mut next = filter.clone();
            next.landlord = match picked {
                Picked::Name(id) => Some(id),
                Picked::All | Picked::Special => None,
            };
            next.property = None;
            on_filter.emit(next);
            // The agency's property menu lists the chosen landlord's: fetched once.
            if landlords.is_empty() {
                let landlords = landlords.clone();
                ipc::call_then(commands::ListLandlords {}, move |answer| {
                    if let Ok(all) = answer {
                        landlords.set(all);
                    }
                });
            }
        })
    };
    let properties: Vec<Named<PropertyId>> = if props.role == Role::Landlord {
        options.properties.clone()
    } else {
        let theirs = landlords.iter().find(|l| Some(l.id) == filter.landlord);
        theirs
            .map(|l| l.properties.iter().map(|p| Named { id: p.id, name: p.address.clone() }).collect())
            .unwrap_or_default()
    };
    html! {
        <div class="filter-bar report-filters" data-testid="report-filters">
            <label>{ "Raised from" }
                <DayInput testid="report-from" value={filter.from.to_string()} on_change={set(|f, v| if let Ok(day) = v.parse() { f.from = day })} />
            </label>
            <label>{ "to" }
                <DayInput testid="report-to" value={filter.to.to_string()} on_change={set(|f, v| if let Ok(day) = v.parse() { f.to = day })} />
            </label>
            if props.role != Role::Landlord && !options.landlords.is_empty() {
                <label>{ "Landlord" }
                    <NamePicker testid="report-landlord" placeholder="All landlords" options={options.clone()}
                                list={NameList::Landlords} chosen={filter.landlord.map_or(Picked::All, Picked::Name)}
                                on_pick={pick_landlord} />
                </label>
            }
            if !properties.is_empty() {
                <label>{ "Property" }
                    <select data-testid="report-property" onchange={select(|f, v| f.property = v.parse().ok().map(PropertyId))}>
                        <option value="" selected={filter.property.is_none()}>{ "All" }</option>
                        { for properties.iter().map(|p| option(&p.id.0.to_string(), &p.name, filter.property == Some(p.id))) }
                    </select>
                </label>
            }
            <label>{ "Category" }
                <select data-testid="report-category" onchange={select(|f, v| f.category = v.parse().ok().map(CategoryId))}>
                    <option value="" selected={filter.category.is_none()}>{ "All" }</option>
                    { for options.categories.iter().map(|c| option(&c.id.0.to_string(), &c.name, filter.category == Some(c.id))) }
                </select>
            </label>
            <label>{ "Priority" }
                <select data-testid="report-priority" onchange={select(|f, v| f.priority = Priority::parse(&v))}>
                    <option value="" selected={filter.priority.is_none()}>{ "All" }</option>
                    { for Priority::ALL.iter().map(|p| option(p.as_str(), p.as_str(), filter.priority == Some(*p))) }
                </select>
            </label>
            if props.kind == ReportKind::Repeats {
                <label>{ "Within" }
                    <select data-testid="report-repeat-months" onchange={select(|f, v| f.repeat_months = v.parse().unwrap_or(6))}>
                        { for [1, 3, 6, 12, 24].into_iter().map(|m| option(&m.to_string(), &format!("{m} months"), filter.repeat_months == m)) }
                    </select>
                </label>
            }
        </div>
    }
}

fn option(value: &str, label: &str, selected: bool) -> Html {
    html! { <option value={value.to_owned()} {selected}>{ label }</option> }
}
