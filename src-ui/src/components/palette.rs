//! The command palette (Ctrl/Cmd+K): type a reference to open that order, or part of a
//! command's name; arrows move, Enter runs, Esc closes. Works without the mouse.

use crate::app::Route;
use crate::keyboard::action_key;
use crate::navigation::{entries as nav_entries, palette_label};
use plumbline_domain::{Action, Reference, Role, WorkOrderId};
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum PaletteCommand {
    Go(Route),
    OpenOrder(WorkOrderId),
    /// A step on the order that is open now.
    Act(Action),
    Shortcuts,
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

struct Entry {
    label: String,
    hint: String,
    command: PaletteCommand,
}

fn entries(query: &str, actions: &[Action], role: Option<Role>) -> Vec<Entry> {
    let mut found = Vec::new();
    if let Ok(reference) = Reference::parse(query.trim()) {
        let label = format!("Open {reference}");
        found.push(Entry { label, hint: "Work order".into(), command: PaletteCommand::OpenOrder(reference.id()) });
    }
    let key_hint = |action: Action| action_key(action).map(|k| k.to_uppercase().to_string()).unwrap_or_default();
    let screens = role.map(nav_entries).unwrap_or_default().into_iter().map(|screen| Entry {
        label: palette_label(&screen),
        hint: format!("G {}", screen.key.to_ascii_uppercase()),
        command: PaletteCommand::Go(screen.route),
    });
    let fixed = actions
        .iter()
        .map(|a| Entry { label: a.label().to_owned(), hint: key_hint(*a), command: PaletteCommand::Act(*a) })
        .chain(screens)
        .chain([Entry { label: "Keyboard shortcuts".into(), hint: "?".into(), command: PaletteCommand::Shortcuts }]);
    let needle = query.trim().to_lowercase();
    found.extend(fixed.filter(|e| e.label.to_lowercase().contains(&needle)));
    // On an open order, a step not offered now can still be asked for: the core says why not.
    if !actions.is_empty() && !needle.is_empty() {
        let unavailable = Action::ALL.into_iter().filter(|a| !actions.contains(a) && *a != Action::AutoClose);
        found.extend(unavailable.filter(|a| a.label().to_lowercase().contains(&needle)).map(|a| Entry {
            label: a.label().to_owned(),
            hint: "not available now · why?".into(),
            command: PaletteCommand::Act(a),
        }));
    }
    found
}

#[function_component]
pub fn Palette(props: &PaletteProps) -> Html {
    let query = use_state(String::new);
    let selected = use_state(|| 0usize);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let found = entries(&query, &props.actions, props.role);
    let oninput = {
        let (query, selected) = (query.clone(), selected.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            selected.set(0);
        })
    };
    let onkeydown = {
        let (selected, on_run, on_close) = (selected.clone(), props.on_run.clone(), props.on_close.clone());
        let commands: Vec<PaletteCommand> = found.iter().map(|e| e.command.clone()).collect();
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
                if let Some(command) = commands.get(*selected) {
                    on_run.emit(command.clone());
                }
            }
            "Escape" => on_close.emit(()),
            _ => {}
        })
    };
    let backdrop = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="overlay" onclick={backdrop}>
            <div class="palette" data-testid="palette" role="dialog" aria-label="Command palette"
                 onclick={|e: MouseEvent| e.stop_propagation()}>
                <input ref={input} type="text" class="palette-input" data-testid="palette-input"
                       placeholder="Type a reference (PL-000123) or a command…" {oninput} {onkeydown}
                       aria-controls="palette-results" />
                <ul class="palette-results" id="palette-results" role="listbox">
                    { for found.iter().enumerate().map(|(i, entry)| {
                        let command = entry.command.clone();
                        let onclick = props.on_run.reform(move |_: MouseEvent| command.clone());
                        let class = classes!("palette-item", (i == *selected).then_some("selected"));
                        html! {
                            <li {class} role="option" aria-selected={(i == *selected).to_string()} {onclick}>
                                <span>{ &entry.label }</span>
                                if !entry.hint.is_empty() { <kbd>{ &entry.hint }</kbd> }
                            </li>
                        }
                    }) }
                    if found.is_empty() {
                        <li class="palette-empty">{ "Nothing matches. Try a reference like PL-000042." }</li>
                    }
                </ul>
            </div>
        </div>
    }
}
