//! Planned maintenance on screen: the schedules' table (what, where, how often, when the
//! next order is raised, paused or running, each one's history and orders), and the form
//! that makes one. The Planned work page shows the agency's; a property's page its own.

use crate::components::day_input::parse_day;
use crate::components::form::{FormErrors, TextField, use_errors_cleared_when_fixed};
use crate::components::records::DateField;
use crate::components::status::{error_banner, loading};
use crate::format;
use crate::ipc;
use crate::live::use_load;
use chrono::NaiveDate;
use plumbline_domain::api::{CategoryOption, CommandError, Field, ScheduleDetail, ScheduleInput, ScheduleSummary};
use plumbline_domain::ids::{CategoryId, PropertyId, ScheduleId, UnitId};
use plumbline_domain::planned::{DEFAULT_LEAD_DAYS, Recurrence};
use plumbline_domain::{WorkOrderId, commands};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScheduleTableProps {
    pub schedules: Vec<ScheduleSummary>,
    /// The agency's list names each schedule's property; a property's own page does not.
    #[prop_or_default]
    pub show_property: bool,
    /// After a pause or a resume: the list reads again.
    pub on_changed: Callback<()>,
    pub on_open_order: Callback<WorkOrderId>,
    #[prop_or_default]
    pub on_open_property: Option<Callback<PropertyId>>,
}

#[function_component]
pub fn ScheduleTable(props: &ScheduleTableProps) -> Html {
    let open = use_state(|| None::<ScheduleId>);
    let failure = use_state(|| None::<CommandError>);
    let toggle = {
        let open = open.clone();
        Callback::from(move |id: ScheduleId| open.set(if *open == Some(id) { None } else { Some(id) }))
    };
    let set_paused = {
        let (failure, on_changed) = (failure.clone(), props.on_changed.clone());
        Callback::from(move |(id, paused): (ScheduleId, bool)| {
            let (failure, on_changed) = (failure.clone(), on_changed.clone());
            ipc::call_then(commands::SetSchedulePaused { id, paused }, move |answer| match answer {
                Ok(_) => {
                    failure.set(None);
                    on_changed.emit(());
                }
                Err(error) => failure.set(Some(error)),
            });
        })
    };
    let columns = if props.show_property { 7 } else { 6 };
    html! {
        <>
            if let Some(error) = &*failure { { error_banner(error) } }
            <table class="records schedules">
                <thead>
                    <tr>
                        <th>{ "Job" }</th>
                        if props.show_property { <th>{ "Property" }</th> }
                        <th>{ "Where" }</th>
                        <th>{ "How often" }</th>
                        <th>{ "Next" }</th>
                        <th class="num">{ "Orders" }</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    { for props.schedules.iter().map(|s| {
                        let row = schedule_row(s, props, &toggle, &set_paused, *open == Some(s.id));
                        html! {
                            <>
                                { row }
                                if *open == Some(s.id) {
                                    <tr class="form-row">
                                        <td colspan={columns.to_string()}>
                                            <ScheduleHistory id={s.id} on_open_order={props.on_open_order.clone()} />
                                        </td>
                                    </tr>
                                }
                            </>
                        }
                    }) }
                </tbody>
            </table>
        </>
    }
}

fn schedule_row(
    s: &ScheduleSummary,
    props: &ScheduleTableProps,
    toggle: &Callback<ScheduleId>,
    set_paused: &Callback<(ScheduleId, bool)>,
    open: bool,
) -> Html {
    let id = s.id;
    let property = s.property;
    let paused = s.paused;
    let next = match (s.next_due, s.raise_on) {
        (Some(due), Some(raise)) => html! {
            <>
                { format::day(due) }
                <div class="muted small">{ format!("order raised {}", format::day(raise)) }</div>
            </>
        },
        _ => html! { <span class="muted">{ "None left" }</span> },
    };
    let status = if paused {
        html! { <span class="pill off">{ "Paused" }</span> }
    } else if s.next_due.is_none() {
        html! { <span class="pill info">{ "Finished" }</span> }
    } else {
        html! { <span class="pill ok">{ "Running" }</span> }
    };
    html! {
        <tr data-schedule={s.title.clone()} class={classes!(paused.then_some("deactivated"))}>
            <td class="primary">{ &s.title } { status }<div class="muted small">{ &s.category }</div></td>
            if props.show_property {
                <td>
                    if let Some(open_property) = &props.on_open_property {
                        <button class="link-button" onclick={open_property.reform(move |_| property)}>{ &s.property_name }</button>
                    } else {
                        { &s.property_name }
                    }
                </td>
            }
            <td>{ s.unit.clone().unwrap_or_else(|| "Whole property".to_owned()) }</td>
            <td>
                { &s.recurrence_text }
                <div class="muted small">{ format!("raised {} ahead", days(s.lead_days)) }</div>
            </td>
            <td>{ next }</td>
            <td class="num">{ s.orders_raised }</td>
            <td class="row-actions">
                <button class="small-button" data-testid="schedule-history" aria-expanded={open.to_string()}
                        onclick={toggle.reform(move |_| id)}>{ "History" }</button>
                if s.next_due.is_some() || paused {
                    <button class="small-button" data-testid="pause-schedule"
                            onclick={set_paused.reform(move |_| (id, !paused))}>
                        { if paused { "Resume" } else { "Pause" } }
                    </button>
                }
            </td>
        </tr>
    }
}

fn days(n: u32) -> String {
    if n == 1 { "1 day".to_owned() } else { format!("{n} days") }
}

#[derive(Properties, PartialEq)]
struct ScheduleHistoryProps {
    id: ScheduleId,
    on_open_order: Callback<WorkOrderId>,
}

/// What the schedule said of itself, and the orders it raised (each opens).
#[function_component]
fn ScheduleHistory(props: &ScheduleHistoryProps) -> Html {
    let load = use_load(props.id, |id| commands::GetSchedule { id: *id }, |_| false);
    let detail = match &*load.loaded {
        None => return loading(),
        Some(Err(error)) => return error_banner(error),
        Some(Ok(detail)) => detail.clone(),
    };
    html! {
        <div class="schedule-detail">
            <p>{ &detail.description }</p>
            <div class="two-columns">
                <div>
                    <h3>{ "Orders raised" }</h3>
                    if detail.orders.is_empty() {
                        <p class="muted">{ "None yet." }</p>
                    }
                    <ul class="plain">
                        { for detail.orders.iter().map(|o| {
                            let id = o.id;
                            html! {
                                <li>
                                    <button class="link-button" onclick={props.on_open_order.reform(move |_| id)}>
                                        { plumbline_domain::Reference::of(o.id).to_string() }
                                    </button>
                                    { format!(" for {} · {}", format::day(o.planned_for), o.state.label()) }
                                </li>
                            }
                        }) }
                    </ul>
                </div>
                <div>
                    <h3>{ "History" }</h3>
                    <ul class="plain schedule-history">
                        { for detail.history.iter().map(|e| html! {
                            <li>
                                <span class="muted small">
                                    { format!("{} · {}", crate::format::local_date_time(e.at), e.by.clone().unwrap_or_else(|| "Plumbline".into())) }
                                </span>
                                <div>{ &e.note }</div>
                            </li>
                        }) }
                    </ul>
                </div>
            </div>
        </div>
    }
}

/// How a new schedule repeats, as the form holds it before it is checked.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    unit: Option<UnitId>,
    subcategory: Option<CategoryId>,
    title: String,
    description: String,
    on_dates: bool,
    every_months: String,
    first_due: Option<NaiveDate>,
    dates: String,
    lead_days: String,
}

#[derive(Properties, PartialEq)]
pub struct ScheduleFormProps {
    pub property: PropertyId,
    /// The property's units, to pick one (or the whole property).
    pub units: Vec<(UnitId, String)>,
    pub on_saved: Callback<ScheduleDetail>,
}

/// Makes a schedule: what, where, how often (every N months from a day, or on dates), and
/// how far ahead each order is raised.
#[function_component]
pub fn ScheduleForm(props: &ScheduleFormProps) -> Html {
    let draft = use_state(|| Draft {
        unit: props.units.first().filter(|_| props.units.len() == 1).map(|(id, _)| *id),
        subcategory: None,
        title: String::new(),
        description: String::new(),
        on_dates: false,
        every_months: "12".into(),
        first_due: None,
        dates: String::new(),
        lead_days: DEFAULT_LEAD_DAYS.to_string(),
    });
    let errors = use_state(FormErrors::default);
    use_errors_cleared_when_fixed(&draft, &errors, &FORM_CHECKED, still_wrong);
    let categories = use_load((), |_| commands::IntakeOptions {}, |_| false);
    let onsubmit = {
        let (draft, errors, on_saved, property) =
            (draft.clone(), errors.clone(), props.on_saved.clone(), props.property);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = match checked(&draft, property) {
                Ok(input) => input,
                Err(problems) => return errors.set(problems),
            };
            let (errors, on_saved) = (errors.clone(), on_saved.clone());
            ipc::call_then(commands::AddSchedule { schedule: input }, move |answer| match answer {
                Ok(detail) => on_saved.emit(detail),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let set = |apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let options: Vec<CategoryOption> = match &*categories.loaded {
        Some(Ok(options)) => options.clone(),
        _ => Vec::new(),
    };
    html! {
        <form class="inline-form schedule-form" {onsubmit} novalidate=true>
            <div class="field-row">
                <TextField id="schedule-title" label="Job" value={draft.title.clone()} autofocus=true
                           hint="\"Boiler service\", \"Clear the gutters\"" on_input={set(|d, v| d.title = v)}
                           error={errors.for_field(Field::Title)} />
                { where_select(&draft, &props.units, errors.for_field(Field::Unit)) }
                { kind_select(&draft, &options, errors.for_field(Field::Subcategory)) }
            </div>
            <label class="field">{ "Work to do" }
                <textarea id="schedule-description" rows="2" value={draft.description.clone()}
                          class={classes!(errors.for_field(Field::Description).is_some().then_some("invalid"))}
                          oninput={{
                              let set = set(|d, v| d.description = v);
                              Callback::from(move |e: InputEvent| set.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
                          }} />
                if let Some(message) = errors.for_field(Field::Description) { <p class="field-error" role="alert">{ message }</p> }
            </label>
            { recurrence_fields(&draft, &errors) }
            if let Some(error) = &errors.general { { error_banner(error) } }
            <button id="save-schedule" class="primary-button" type="submit">{ "Add schedule" }</button>
        </form>
    }
}

fn where_select(draft: &UseStateHandle<Draft>, units: &[(UnitId, String)], error: Option<String>) -> Html {
    let onchange = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let unit = value.parse().ok().map(UnitId);
            draft.set(Draft { unit, ..(*draft).clone() });
        })
    };
    html! {
        <label class="field">{ "Where" }
            <select id="schedule-unit" {onchange} class={classes!(error.is_some().then_some("invalid"))}>
                <option value="" selected={draft.unit.is_none()}>{ "Whole property (no tenant)" }</option>
                { for units.iter().map(|(id, label)| html! {
                    <option value={id.0.to_string()} selected={draft.unit == Some(*id)}>{ label }</option>
                }) }
            </select>
            if let Some(message) = error { <p class="field-error" role="alert">{ message }</p> }
        </label>
    }
}

fn kind_select(draft: &UseStateHandle<Draft>, options: &[CategoryOption], error: Option<String>) -> Html {
    let onchange = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            draft.set(Draft { subcategory: value.parse().ok().map(CategoryId), ..(*draft).clone() });
        })
    };
    html! {
        <label class="field">{ "Kind of work" }
            <select id="schedule-kind" {onchange} class={classes!(error.is_some().then_some("invalid"))}>
                <option value="" selected={draft.subcategory.is_none()}>{ "Choose…" }</option>
                { for options.iter().map(|c| html! {
                    <optgroup label={c.name.clone()}>
                        { for c.subcategories.iter().map(|s| html! {
                            <option value={s.id.0.to_string()} selected={draft.subcategory == Some(s.id)}>{ &s.name }</option>
                        }) }
                    </optgroup>
                }) }
            </select>
            if let Some(message) = error { <p class="field-error" role="alert">{ message }</p> }
        </label>
    }
}

fn recurrence_fields(draft: &UseStateHandle<Draft>, errors: &FormErrors) -> Html {
    let choose = |on_dates: bool| {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| draft.set(Draft { on_dates, ..(*draft).clone() }))
    };
    let text = |apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let on_first = {
        let draft = draft.clone();
        Callback::from(move |first_due: Option<NaiveDate>| draft.set(Draft { first_due, ..(*draft).clone() }))
    };
    html! {
        <>
            <div class="segmented" role="group" aria-label="Repeats">
                <button type="button" id="schedule-every" aria-pressed={(!draft.on_dates).to_string()} onclick={choose(false)}>{ "Every few months" }</button>
                <button type="button" id="schedule-on-dates" aria-pressed={draft.on_dates.to_string()} onclick={choose(true)}>{ "On dates" }</button>
            </div>
            <div class="field-row">
                if draft.on_dates {
                    <TextField id="schedule-dates" label="Dates" value={draft.dates.clone()} on_input={text(|d, v| d.dates = v)}
                               hint="dd/mm/yyyy, separated by commas" error={errors.for_field(Field::Dates)} />
                } else {
                    <TextField id="schedule-months" label="Every (months)" kind="number" value={draft.every_months.clone()}
                               on_input={text(|d, v| d.every_months = v)} error={errors.for_field(Field::Every)}
                               hint="12 for a yearly service, 60 for five-yearly" />
                    <DateField id="schedule-first" label="First due" value={draft.first_due} on_change={on_first}
                               error={errors.for_field(Field::FirstDue)} />
                }
                <TextField id="schedule-lead" label="Raise each order (days ahead)" kind="number" value={draft.lead_days.clone()}
                           on_input={text(|d, v| d.lead_days = v)} error={errors.for_field(Field::LeadDays)}
                           hint="Time to book a contractor before the day" />
            </div>
        </>
    }
}

/// The fields the form judges itself before sending.
const FORM_CHECKED: [Field; 7] = [
    Field::Title,
    Field::Description,
    Field::Subcategory,
    Field::LeadDays,
    Field::Dates,
    Field::Every,
    Field::FirstDue,
];

fn still_wrong(draft: &Draft) -> Vec<Field> {
    checked(draft, PropertyId(0))
        .err()
        .map(|errors| errors.fields.iter().map(|(field, _)| *field).collect())
        .unwrap_or_default()
}

/// The form's input, or every problem the page can see before sending (the service checks
/// these again, and the rest: dates in the past, limits).
fn checked(draft: &Draft, property: PropertyId) -> Result<ScheduleInput, FormErrors> {
    let mut problems = FormErrors::default();
    if draft.title.trim().is_empty() {
        problems = problems.and(Field::Title, "Name the job");
    }
    if draft.description.trim().is_empty() {
        problems = problems.and(Field::Description, "Say what the contractor is to do");
    }
    let subcategory = draft.subcategory;
    if subcategory.is_none() {
        problems = problems.and(Field::Subcategory, "Choose the kind of work");
    }
    let lead_days = draft.lead_days.trim().parse::<u32>();
    if lead_days.is_err() {
        problems = problems.and(Field::LeadDays, "Enter a number of days (0 raises it on the day)");
    }
    let recurrence = if draft.on_dates {
        let days: Result<Vec<NaiveDate>, String> =
            draft.dates.split([',', ';']).map(str::trim).filter(|d| !d.is_empty()).map(parse_day).collect();
        match days {
            Ok(days) => Some(Recurrence::OnDates(days)),
            Err(why) => {
                problems = problems.and(Field::Dates, why);
                None
            }
        }
    } else {
        let months = draft.every_months.trim().parse::<u32>();
        if months.is_err() {
            problems = problems.and(Field::Every, "Enter a number of months");
        }
        if draft.first_due.is_none() {
            problems = problems.and(Field::FirstDue, "Enter the first day it is due (dd/mm/yyyy)");
        }
        match (months, draft.first_due) {
            (Ok(months), Some(first)) => Some(Recurrence::Every { months, first }),
            _ => None,
        }
    };
    match (subcategory, lead_days, recurrence) {
        (Some(subcategory), Ok(lead_days), Some(recurrence)) if problems.is_empty() => Ok(ScheduleInput {
            property,
            unit: draft.unit,
            subcategory,
            title: draft.title.clone(),
            description: draft.description.clone(),
            recurrence,
            lead_days,
        }),
        _ => Err(problems),
    }
}

#[derive(Properties, PartialEq)]
pub struct PropertySchedulesProps {
    pub property: PropertyId,
    pub units: Vec<(UnitId, String)>,
    pub on_open_order: Callback<WorkOrderId>,
}

/// A property's card: its schedules and "Add schedule".
#[function_component]
pub fn PropertySchedules(props: &PropertySchedulesProps) -> Html {
    let load = use_load(
        props.property,
        |id| commands::ListSchedules {
            request: plumbline_domain::api::ListSchedules { property: Some(*id), paused: true },
        },
        |change| change.kind == plumbline_domain::ChangeKind::Submitted,
    );
    let adding = use_state(|| false);
    let on_saved = {
        let (adding, reload) = (adding.clone(), load.reload.clone());
        Callback::from(move |_: ScheduleDetail| {
            adding.set(false);
            reload.emit(());
        })
    };
    let toggle = {
        let adding = adding.clone();
        Callback::from(move |_: MouseEvent| adding.set(!*adding))
    };
    html! {
        <div class="card" id="planned-maintenance">
            <div class="card-head">
                <h2>{ "Planned maintenance" }</h2>
                <button class="small-button" id="add-schedule" onclick={toggle}>{ "Add schedule" }</button>
            </div>
            if *adding {
                <ScheduleForm property={props.property} units={props.units.clone()} {on_saved} />
            }
            { match &*load.loaded {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(schedules)) if schedules.is_empty() => html! {
                    <p class="muted">{ "No schedules yet. Add one for recurring work: a boiler service every year, gutters every autumn." }</p>
                },
                Some(Ok(schedules)) => html! {
                    <ScheduleTable schedules={schedules.clone()} on_changed={load.reload.clone()}
                                   on_open_order={props.on_open_order.clone()} />
                },
            } }
        </div>
    }
}
