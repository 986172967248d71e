//! The list's filter bar. Each control changes one field of the filter; the menus'
//! choices (categories, landlords, contractors, a landlord's properties) come from the
//! backend once, and a menu the user has no choices in is not shown. Conditions only a
//! dashboard sets (completed or paid this month, payment status) show as chips.

use crate::components::day_input::DayInput;
use crate::components::name_picker::{NameList, NamePicker, Picked};
use crate::{format, ipc};
use plumbline_domain::api::{ContractorFilter, FilterOptions, Named, TimeRange, WorkOrderFilter};
use plumbline_domain::commands;
use plumbline_domain::ids::{CategoryId, PropertyId};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{PaymentStatus, Priority, State};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

thread_local! {
    /// The menus' choices, fetched once a session: hundreds of landlords and contractors
    /// at a large agency, which every visit to the list would otherwise fetch again.
    static MENUS: RefCell<Option<Rc<FilterOptions>>> = const { RefCell::new(None) };
}

/// Drops the cached menus: what they offer depends on who is signed in.
pub fn forget_menus() {
    MENUS.with(|menus| menus.borrow_mut().take());
}

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    pub filter: WorkOrderFilter,
    pub on_filter: Callback<WorkOrderFilter>,
    /// Only the status: for a tenant's handful of requests, the desk's filters are noise.
    #[prop_or_default]
    pub status_only: bool,
}

/// The status menu's named groups of states, so that a dashboard's number opens a list
/// whose filter says in words what it holds. "Open" means what it means on every
/// dashboard: work still to do.
const STATE_GROUPS: [StateGroup; 3] = [
    StateGroup { value: "open", label: "Open (work still to do)", member: State::is_unfinished },
    StateGroup { value: "pending", label: "Pending (not started)", member: State::is_pending },
    StateGroup { value: "not-closed", label: "Not closed (with completed)", member: State::is_not_closed },
];

struct StateGroup {
    /// The menu's value for it.
    value: &'static str,
    label: &'static str,
    member: fn(State) -> bool,
}

fn group_states(member: fn(State) -> bool) -> Vec<State> {
    State::ALL.into_iter().filter(|s| member(*s)).collect()
}

const SLA_CHOICES: [(SlaStatus, &str); 4] = [
    (SlaStatus::OnTrack, "On track"),
    (SlaStatus::AtRisk, "At risk"),
    (SlaStatus::Breached, "Breached"),
    (SlaStatus::Met, "Met"),
];

/// The filter menus' choices (categories, landlords, contractors, a landlord's own
/// properties): fetched once a session, empty until they arrive.
#[hook]
pub fn use_filter_options() -> Rc<FilterOptions> {
    let options = use_state(|| MENUS.with(|menus| menus.borrow().clone()).unwrap_or_default());
    {
        let options = options.clone();
        use_effect_with((), move |_| {
            if MENUS.with(|menus| menus.borrow().is_none()) {
                ipc::call_then(commands::FilterOptions {}, move |answer| {
                    if let Ok(loaded) = answer {
                        let loaded = Rc::new(loaded);
                        MENUS.with(|menus| *menus.borrow_mut() = Some(loaded.clone()));
                        options.set(loaded);
                    }
                });
            }
        });
    }
    (*options).clone()
}

#[function_component]
pub fn FilterBar(props: &FilterBarProps) -> Html {
    let options = use_filter_options();
    let filter = &props.filter;
    // Each control: set one field from its value, hand the whole filter up (a day input
    // gives its day as ISO text; the others are read from their change event).
    let on_value = |apply: fn(&mut WorkOrderFilter, String)| updating(filter, &props.on_filter, apply);
    let change = |apply| {
        on_value(apply).reform(|e: Event| match e.target_dyn_into::<HtmlSelectElement>() {
            Some(select) => select.value(),
            None => e.target_unchecked_into::<HtmlInputElement>().value(),
        })
    };
    let state_value = match filter.states.as_slice() {
        [] => String::new(),
        [one] => one.as_str().to_owned(),
        many => STATE_GROUPS
            .iter()
            .find(|group| group_states(group.member) == many)
            .map_or_else(|| "custom".to_owned(), |group| group.value.to_owned()),
    };
    let on_pick = |apply: fn(&mut WorkOrderFilter, Picked)| updating(filter, &props.on_filter, apply);
    let clear = props.on_filter.reform(|_: MouseEvent| WorkOrderFilter::default());
    html! {
        <div class="filter-bar" data-testid="filters">
            <label class="grow">{ "Search" }
                <input type="search" data-testid="filter-text" placeholder="Words from the order: tenant, street, issue, messages…"
                       value={filter.text.clone().unwrap_or_default()} oninput={on_value(set_text).reform(input_value)} />
            </label>
            <label>{ "Status" }
                <select data-testid="filter-state" onchange={change(set_states)}>
                    <option value="" selected={state_value.is_empty()}>{ "All" }</option>
                    { for STATE_GROUPS.iter().map(|group| choice(group.value, group.label, state_value == group.value)) }
                    if state_value == "custom" { <option value="custom" selected=true>{ several(&filter.states) }</option> }
                    { for State::ALL.iter().map(|s| choice(s.as_str(), s.label(), state_value == s.as_str())) }
                </select>
            </label>
            if !props.status_only {
                <label>{ "Priority" }
                    <select data-testid="filter-priority" onchange={change(|f, v| f.priority = Priority::parse(&v))}>
                        <option value="">{ "All" }</option>
                        { for Priority::ALL.iter().map(|p| choice(p.as_str(), p.as_str(), filter.priority == Some(*p))) }
                    </select>
                </label>
                <label>{ "Category" }
                    <select data-testid="filter-category" onchange={change(|f, v| f.category = v.parse().ok().map(CategoryId))}>
                        <option value="">{ "All" }</option>
                        { named(&options.categories, |id| id.0, filter.category.map(|c| c.0)) }
                    </select>
                </label>
                <label>{ "SLA" }
                    <select data-testid="filter-sla" onchange={change(set_sla)}>
                        <option value="">{ "All" }</option>
                        { for SLA_CHOICES.iter().map(|(s, label)| choice(&format!("{s:?}"), label, filter.sla == Some(*s))) }
                    </select>
                </label>
                if !options.properties.is_empty() {
                    <label>{ "My property" }
                        <select data-testid="filter-property-id" onchange={change(|f, v| f.property_id = v.parse().ok().map(PropertyId))}>
                            <option value="">{ "All" }</option>
                            { named(&options.properties, |id| id.0, filter.property_id.map(|p| p.0)) }
                        </select>
                    </label>
                }
                if !options.landlords.is_empty() {
                    <label>{ "Landlord" }
                        <NamePicker testid="filter-landlord" placeholder="All landlords" options={options.clone()}
                                    list={NameList::Landlords} chosen={filter.landlord.map_or(Picked::All, Picked::Name)}
                                    on_pick={on_pick(|f, picked| f.landlord = match picked {
                                        Picked::Name(id) => Some(id),
                                        Picked::All | Picked::Special => None,
                                    })} />
                    </label>
                }
                if !options.contractors.is_empty() {
                    <label>{ "Contractor" }
                        <NamePicker testid="filter-contractor" placeholder="All contractors" options={options.clone()}
                                    list={NameList::Contractors} special={AttrValue::from("Unassigned")}
                                    chosen={contractor_choice(filter.contractor)} on_pick={on_pick(set_contractor)} />
                    </label>
                }
                <label class="grow">{ "Property" }
                    <input type="search" data-testid="filter-property" placeholder="Street or postcode"
                           value={filter.property.clone().unwrap_or_default()} onchange={change(set_property)} />
                </label>
                <label>{ "Opened from" }
                    <DayInput testid="filter-opened-from" on_change={on_value(set_opened_from)}
                              value={filter.opened.filter(|r| r.from != chrono::DateTime::UNIX_EPOCH).map(|r| format::local_date_input(r.from)).unwrap_or_default()} />
                </label>
                <label>{ "to" }
                    <DayInput testid="filter-opened-to" on_change={on_value(set_opened_to)}
                              value={filter.opened.filter(|r| r.until != far_future()).map(|r| format::local_last_day_input(r.until)).unwrap_or_default()} />
                </label>
            }
            { chips(filter, &options, &props.on_filter) }
            if !filter.is_empty() {
                <button class="link clear" data-testid="clear-filters" onclick={clear}>{ "Clear filters" }</button>
            }
        </div>
    }
}

/// A control's callback: sets one field of `filter` from the control's value with
/// `apply`, and hands the whole filter up.
fn updating<T: 'static>(
    filter: &WorkOrderFilter,
    on_filter: &Callback<WorkOrderFilter>,
    apply: fn(&mut WorkOrderFilter, T),
) -> Callback<T> {
    let (filter, on_filter) = (filter.clone(), on_filter.clone());
    Callback::from(move |value: T| {
        let mut next = filter.clone();
        apply(&mut next, value);
        on_filter.emit(next);
    })
}

/// The states a dashboard's number opened the list on, named ("Assigned, Accepted,
/// Scheduled"), rather than a vague "Several".
fn several(states: &[State]) -> String {
    states.iter().map(|state| state.label()).collect::<Vec<_>>().join(", ")
}

/// A chip's words, and how removing it changes the filter.
type Chip = (String, fn(&mut WorkOrderFilter));

/// The conditions no control shows, each with a × that drops it.
fn chips(filter: &WorkOrderFilter, options: &FilterOptions, on_filter: &Callback<WorkOrderFilter>) -> Html {
    let mut shown: Vec<Chip> = Vec::new();
    let in_menu = |id: PropertyId| options.properties.iter().any(|p| p.id == id);
    if filter.property_id.is_some_and(|id| !in_menu(id)) {
        shown.push(("One property".to_owned(), |f| f.property_id = None));
    }
    if let Some(range) = filter.completed {
        shown.push((format!("Completed {}", days(range)), |f| f.completed = None));
    }
    if let Some(range) = filter.paid {
        shown.push((format!("Paid {}", days(range)), |f| f.paid = None));
    }
    if !filter.payment.is_empty() {
        let statuses: Vec<&str> = filter.payment.iter().map(|s| PaymentStatus::label(*s)).collect();
        shown.push((format!("Payment: {}", statuses.join(" or ")), |f| f.payment.clear()));
    }
    html! {
        for shown.into_iter().map(|(label, drop)| {
            let (filter, on_filter) = (filter.clone(), on_filter.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                let mut next = filter.clone();
                drop(&mut next);
                on_filter.emit(next);
            });
            html! {
                <span class="chip" data-testid="filter-chip">
                    { label.clone() }
                    <button class="chip-remove" title={format!("Remove “{label}”")} aria-label={format!("Remove {label}")} {onclick}>{ "×" }</button>
                </span>
            }
        })
    }
}

/// "1 Nov 2026 – 30 Nov 2026": a range's first and last local days.
fn days(range: TimeRange) -> String {
    format!("{} – {}", format::local_date(range.from), format::local_date(range.until - chrono::Duration::hours(12)))
}

fn choice(value: &str, label: &str, selected: bool) -> Html {
    html! { <option value={value.to_owned()} {selected}>{ label.to_owned() }</option> }
}

fn named<T: Copy>(items: &[Named<T>], raw: fn(T) -> i64, selected: Option<i64>) -> Html {
    html! { for items.iter().map(|item| choice(&raw(item.id).to_string(), &item.name, selected == Some(raw(item.id)))) }
}

fn set_states(filter: &mut WorkOrderFilter, value: String) {
    filter.states = match value.as_str() {
        "" => vec![],
        value => match STATE_GROUPS.iter().find(|group| group.value == value) {
            Some(group) => group_states(group.member),
            None => State::parse(value).into_iter().collect(),
        },
    };
}

fn set_sla(filter: &mut WorkOrderFilter, value: String) {
    filter.sla = SLA_CHOICES.iter().map(|(s, _)| *s).find(|s| format!("{s:?}") == value);
}

fn set_contractor(filter: &mut WorkOrderFilter, picked: Picked) {
    filter.contractor = match picked {
        Picked::All => None,
        Picked::Special => Some(ContractorFilter::Unassigned),
        Picked::Name(id) => Some(ContractorFilter::Assigned(id)),
    };
}

fn contractor_choice(contractor: Option<ContractorFilter>) -> Picked {
    match contractor {
        None => Picked::All,
        Some(ContractorFilter::Unassigned) => Picked::Special,
        Some(ContractorFilter::Assigned(id)) => Picked::Name(id),
    }
}

fn input_value(e: InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// Kept as typed (a trailing space is the next word starting), cleared when blank.
fn set_text(filter: &mut WorkOrderFilter, value: String) {
    filter.text = (!value.trim().is_empty()).then_some(value);
}

fn set_property(filter: &mut WorkOrderFilter, value: String) {
    let text = value.trim();
    filter.property = (!text.is_empty()).then(|| text.to_owned());
}

/// A range needs both ends: a missing one is the beginning of time or tomorrow.
fn set_opened_from(filter: &mut WorkOrderFilter, value: String) {
    let until = filter.opened.map(|r| r.until).unwrap_or_else(far_future);
    filter.opened = format::local_day_start(&value).map(|from| TimeRange { from, until });
}

fn set_opened_to(filter: &mut WorkOrderFilter, value: String) {
    let from = filter.opened.map(|r| r.from).unwrap_or(chrono::DateTime::UNIX_EPOCH);
    filter.opened = format::local_day_end(&value).map(|until| TimeRange { from, until });
}

fn far_future() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(4_102_444_800, 0).unwrap_or(chrono::DateTime::UNIX_EPOCH)
}
