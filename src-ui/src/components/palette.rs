//! The command palette (Ctrl/Cmd+K): find any order, property or person by the starts of
//! their words while typing (a misspelt word is read as the nearest one, and said so),
//! open an order by its reference, or run a command by part of its name. Arrows move,
//! Enter runs, Esc closes. Works without the mouse.

use crate::app::Route;
use crate::ipc;
use crate::keyboard::action_key;
use crate::navigation::{entries as nav_entries, palette_label};
use plumbline_domain::api::{
    ContractorFilter, Correction, PersonHit, PropertyHit, Search, SearchResults, WorkOrderFilter,
};
use plumbline_domain::ids::PropertyId;
use plumbline_domain::search::{highlight, words};
use plumbline_domain::{Action, Reference, Role, WorkOrderId, commands};
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// Results of each kind shown.
const SHOWN: u32 = 5;

#[derive(Debug, Clone, PartialEq)]
pub enum PaletteCommand {
    Go(Route),
    OpenOrder(WorkOrderId),
    /// A step on the order that is open now.
    Act(Action),
    Shortcuts,
    /// The list with this filter: a person's or a property's orders, or every match.
    ShowList(Box<WorkOrderFilter>),
    OpenProperty(PropertyId),
}

#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    /// The open order's allowed steps; empty when no order is open.
    pub actions: Vec<Action>,
    /// The signed-in user's role: which screens "Go to" offers.
    pub role: Option<Role>,
    pub on_run: Callback<PaletteCommand>,
    pub on_close: Callback<()>,
}

/// The heading an entry is listed under.
#[derive(Clone, Copy, PartialEq)]
enum Group {
    Commands,
    Orders,
    Properties,
    People,
}

impl Group {
    fn heading(self) -> &'static str {
        match self {
            Group::Commands => "Commands",
            Group::Orders => "Work orders",
            Group::Properties => "Properties",
            Group::People => "People",
        }
    }
}

struct Entry {
    group: Group,
    label: String,
    /// A second line: where, who, or the words around the match.
    detail: Option<String>,
    hint: String,
    command: PaletteCommand,
}

impl Entry {
    fn command(label: String, hint: String, command: PaletteCommand) -> Self {
        Self { group: Group::Commands, label, detail: None, hint, command }
    }
}

/// The commands whose names hold what was typed: the open order's steps, the screens,
/// the shortcut sheet, and (on an order) the steps not offered now, to ask why.
fn commands_matching(query: &str, actions: &[Action], role: Option<Role>) -> Vec<Entry> {
    let mut found = Vec::new();
    if let Ok(reference) = Reference::parse(query.trim()) {
        found.push(Entry::command(
            format!("Open {reference}"),
            "Work order".into(),
            PaletteCommand::OpenOrder(reference.id()),
        ));
    }
    let key_hint = |action: Action| action_key(action).map(|k| k.to_uppercase().to_string()).unwrap_or_default();
    let screens = role.map(nav_entries).unwrap_or_default().into_iter().map(|screen| {
        Entry::command(
            palette_label(&screen),
            format!("G {}", screen.key.to_ascii_uppercase()),
            PaletteCommand::Go(screen.route),
        )
    });
    let fixed = actions
        .iter()
        .map(|a| Entry::command(a.label().to_owned(), key_hint(*a), PaletteCommand::Act(*a)))
        .chain(screens)
        .chain([Entry::command("Keyboard shortcuts".into(), "?".into(), PaletteCommand::Shortcuts)]);
    let needle = query.trim().to_lowercase();
    found.extend(fixed.filter(|e| e.label.to_lowercase().contains(&needle)));
    if !actions.is_empty() && !needle.is_empty() {
        let unavailable = Action::ALL.into_iter().filter(|a| !actions.contains(a) && *a != Action::AutoClose);
        found.extend(
            unavailable.filter(|a| a.label().to_lowercase().contains(&needle)).map(|a| {
                Entry::command(a.label().to_owned(), "not available now · why?".into(), PaletteCommand::Act(a))
            }),
        );
    }
    found
}

/// What the search found, grouped, ending with the whole list of matching orders.
fn search_entries(results: &SearchResults, role: Option<Role>) -> Vec<Entry> {
    let orders = results.orders.iter().map(|hit| {
        let place = match &hit.tenant {
            Some(tenant) => format!("{} · {tenant}", hit.place),
            None => hit.place.clone(),
        };
        Entry {
            group: Group::Orders,
            label: format!("{} · {}", Reference::of(hit.id), hit.issue),
            detail: Some(hit.excerpt.as_ref().map_or(place.clone(), |excerpt| format!("{place} — {excerpt}"))),
            hint: hit.state.label().to_owned(),
            command: PaletteCommand::OpenOrder(hit.id),
        }
    });
    // The words as read (a slip corrected), so the list's search box says what it found.
    let read = results.words.join(" ");
    let all_orders = (!results.orders.is_empty()).then(|| Entry {
        group: Group::Orders,
        label: format!("All work orders matching “{read}”"),
        detail: None,
        hint: "List".into(),
        command: PaletteCommand::ShowList(Box::new(WorkOrderFilter { text: Some(read.clone()), ..Default::default() })),
    });
    let properties = results.properties.iter().map(|hit| property_entry(hit, role));
    let people = results.people.iter().map(person_entry);
    orders.chain(all_orders).chain(properties).chain(people).collect()
}

/// The agency opens the property's record; a landlord, the list of its orders.
fn property_entry(hit: &PropertyHit, role: Option<Role>) -> Entry {
    let command = match role {
        Some(Role::Staff | Role::Admin) => PaletteCommand::OpenProperty(hit.id),
        _ => PaletteCommand::ShowList(Box::new(WorkOrderFilter { property_id: Some(hit.id), ..Default::default() })),
    };
    Entry {
        group: Group::Properties,
        label: hit.address.clone(),
        detail: Some(format!("Landlord: {}", hit.landlord)),
        hint: "Property".into(),
        command,
    }
}

/// A person's orders: a landlord's properties', a contractor's jobs, a tenant's requests.
fn person_entry(hit: &PersonHit) -> Entry {
    let filter = match hit.role {
        Role::Landlord => WorkOrderFilter { landlord: Some(hit.id), ..Default::default() },
        Role::Contractor => {
            WorkOrderFilter { contractor: Some(ContractorFilter::Assigned(hit.id)), ..Default::default() }
        }
        Role::Tenant | Role::Staff | Role::Admin => {
            WorkOrderFilter { text: Some(hit.name.clone()), ..Default::default() }
        }
    };
    Entry {
        group: Group::People,
        label: hit.name.clone(),
        detail: Some(hit.details.clone()),
        hint: hit.role.label().to_owned(),
        command: PaletteCommand::ShowList(Box::new(filter)),
    }
}

/// Asks the store what matches `text` and keeps the answer unless the text has changed
/// since (a quicker keystroke's answer may come back first).
fn ask(
    text: String,
    found: UseStateHandle<Option<(String, SearchResults)>>,
    latest: std::rc::Rc<std::cell::RefCell<String>>,
) {
    let request = Search { text: text.clone(), limit: SHOWN };
    ipc::call_then(commands::Search { request }, move |answer| {
        if *latest.borrow() == text {
            found.set(Some((text, answer.unwrap_or_default())));
        }
    });
}

#[function_component]
pub fn Palette(props: &PaletteProps) -> Html {
    let query = use_state(String::new);
    let selected = use_state(|| 0usize);
    let found = use_state(|| None::<(String, SearchResults)>);
    let latest = use_mut_ref(String::new);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let results = found.as_ref().filter(|(text, _)| *text == *query).map(|(_, results)| results);
    let mut entries = commands_matching(&query, &props.actions, props.role);
    if let Some(results) = results {
        entries.extend(search_entries(results, props.role));
    }
    let oninput = {
        let (query, selected, found, latest) = (query.clone(), selected.clone(), found.clone(), latest.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            *latest.borrow_mut() = text.clone();
            if searchable(&text) {
                ask(text.clone(), found.clone(), latest.clone());
            }
            query.set(text);
            selected.set(0);
        })
    };
    let onkeydown = {
        let (selected, on_run, on_close) = (selected.clone(), props.on_run.clone(), props.on_close.clone());
        let commands: Vec<PaletteCommand> = entries.iter().map(|e| e.command.clone()).collect();
        let (shown_for, actions, role) = ((*query).clone(), props.actions.clone(), props.role);
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                selected.set((*selected + 1).min(commands.len().saturating_sub(1)));
            }
            "ArrowUp" => {
                e.prevent_default();
                selected.set(selected.saturating_sub(1));
            }
            "Enter" => {
                e.prevent_default();
                // Enter typed on the heels of the last letters can come before the list
                // is drawn for them: then what the box says now is what is run.
                let typed = e.target_unchecked_into::<HtmlInputElement>().value();
                let command = if typed == shown_for {
                    commands.get(*selected).cloned()
                } else {
                    commands_matching(&typed, &actions, role).into_iter().next().map(|entry| entry.command)
                };
                if let Some(command) = command {
                    on_run.emit(command);
                }
            }
            "Escape" => on_close.emit(()),
            _ => {}
        })
    };
    let backdrop = props.on_close.reform(|_: MouseEvent| ());
    let marked: Vec<String> = results.map(|r| r.words.clone()).unwrap_or_default();
    html! {
        <div class="overlay" onclick={backdrop}>
            <div class="palette" data-testid="palette" role="dialog" aria-label="Command palette"
                 onclick={|e: MouseEvent| e.stop_propagation()}>
                <input ref={input} type="text" class="palette-input" data-testid="palette-input"
                       placeholder="Find an order, property or person, or type a command…" {oninput} {onkeydown}
                       aria-controls="palette-results" />
                if let Some(results) = results {
                    { corrected_note(&results.corrected, "palette-note", "palette-corrected") }
                }
                <ul class="palette-results" id="palette-results" role="listbox">
                    { for entries.iter().enumerate().map(|(i, entry)| {
                        let heading = (i == 0 || entries[i - 1].group != entry.group) && entry.group != Group::Commands;
                        html! {
                            <>
                                if heading { <li class="palette-group" role="presentation">{ entry.group.heading() }</li> }
                                { entry_item(entry, i == *selected, &marked, &props.on_run) }
                            </>
                        }
                    }) }
                    if entries.is_empty() {
                        <li class="palette-empty">{ empty_line(&query, results.is_some() || !searchable(&query)) }</li>
                    }
                </ul>
            </div>
        </div>
    }
}

fn entry_item(entry: &Entry, selected: bool, marked: &[String], on_run: &Callback<PaletteCommand>) -> Html {
    let command = entry.command.clone();
    let onclick = on_run.reform(move |_: MouseEvent| command.clone());
    let class = classes!("palette-item", selected.then_some("selected"));
    html! {
        <li {class} role="option" aria-selected={selected.to_string()} {onclick} data-testid="palette-item">
            <span class="palette-text">
                <span class="palette-label">{ highlighted(&entry.label, marked) }</span>
                if let Some(detail) = &entry.detail {
                    <span class="palette-detail">{ highlighted(detail, marked) }</span>
                }
            </span>
            if !entry.hint.is_empty() { <kbd>{ &entry.hint }</kbd> }
        </li>
    }
}

/// `text` with the starts of words the search looked for marked.
fn highlighted(text: &str, marked: &[String]) -> Html {
    html! {
        for highlight(text, marked).into_iter().map(|piece| match piece.matched {
            true => html! { <mark>{ piece.text }</mark> },
            false => html! { { piece.text } },
        })
    }
}

/// Whether `text` has a word worth asking the store about: two letters, or a number
/// (the service's own rule, `search::words_to_find`).
fn searchable(text: &str) -> bool {
    words(text).iter().any(|w| w.chars().count() > 1 || w.chars().all(char::is_numeric))
}

fn empty_line(query: &str, answered: bool) -> String {
    match (query.trim().is_empty(), answered) {
        (true, _) => "Type part of a name, street, issue or reference (PL-000042).".to_owned(),
        (false, true) => format!("Nothing matches “{}”.", query.trim()),
        (false, false) => "Searching…".to_owned(),
    }
}

/// "Showing results for **clarke**": how typed words were read, when any were read as
/// others; nothing otherwise. The palette and the list's search box both say it.
pub fn corrected_note(corrected: &[Correction], class: &'static str, testid: &'static str) -> Html {
    if corrected.is_empty() {
        return Html::default();
    }
    html! {
        <p {class} data-testid={testid}>
            { "Showing results for " }
            { for corrected.iter().enumerate().map(|(i, c)| html! {
                <>{ if i > 0 { ", " } else { "" } }<strong>{ &c.read_as }</strong></>
            }) }
        </p>
    }
}
