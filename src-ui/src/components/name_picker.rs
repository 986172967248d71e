//! Picks one name from a long list (an agency's hundreds of landlords or contractors) by
//! typing part of it: only the few names that match are in the DOM, never a menu of
//! every one, which a large agency's list page would otherwise build on every visit.
//! ↑/↓ and Enter pick from the keyboard, Esc leaves the choice as it was, and an emptied
//! box means "all".

use plumbline_domain::UserId;
use plumbline_domain::api::{FilterOptions, Named};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

const SHOWN: usize = 8;

/// Which of the filter menus' long lists the picker offers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NameList {
    Landlords,
    Contractors,
}

impl NameList {
    fn of(self, options: &FilterOptions) -> &[Named<UserId>] {
        match self {
            NameList::Landlords => &options.landlords,
            NameList::Contractors => &options.contractors,
        }
    }
}

/// What the person picked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Picked {
    /// No one: every name (the box was emptied).
    All,
    /// The fixed choice offered before the names (e.g. "Unassigned").
    Special,
    Name(UserId),
}

#[derive(Properties, PartialEq)]
pub struct NamePickerProps {
    pub testid: AttrValue,
    /// What an empty box means, e.g. "All landlords".
    pub placeholder: AttrValue,
    /// The menus' choices, shared: compared by pointer, not name by name, on each render.
    pub options: Rc<FilterOptions>,
    pub list: NameList,
    pub chosen: Picked,
    /// A choice offered before the names, e.g. "Unassigned".
    #[prop_or_default]
    pub special: Option<AttrValue>,
    pub on_pick: Callback<Picked>,
}

/// One line of the open list.
#[derive(Clone, PartialEq)]
struct Match {
    picked: Picked,
    label: String,
}

#[function_component]
pub fn NamePicker(props: &NamePickerProps) -> Html {
    // What is typed while the box is being edited; `None` shows the current choice.
    let typed = use_state(|| None::<String>);
    let open = use_state(|| false);
    let highlighted = use_state(|| 0usize);
    let shown_choice = label_of(props, props.chosen);
    let matches = matches(props, typed.as_deref().unwrap_or_default());
    let pick = {
        let (typed, open, on_pick) = (typed.clone(), open.clone(), props.on_pick.clone());
        Callback::from(move |picked: Picked| {
            typed.set(None);
            open.set(false);
            on_pick.emit(picked);
        })
    };
    let oninput = {
        let (typed, open, highlighted) = (typed.clone(), open.clone(), highlighted.clone());
        Callback::from(move |e: InputEvent| {
            typed.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()));
            open.set(true);
            highlighted.set(0);
        })
    };
    let onkeydown = {
        let (typed, open, highlighted, pick, matches) =
            (typed.clone(), open.clone(), highlighted.clone(), pick.clone(), matches.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                open.set(true);
                highlighted.set((*highlighted + 1).min(matches.len().saturating_sub(1)));
            }
            "ArrowUp" => {
                e.prevent_default();
                highlighted.set(highlighted.saturating_sub(1));
            }
            "Enter" => {
                e.prevent_default();
                if typed.as_deref().is_some_and(|text| text.trim().is_empty()) {
                    pick.emit(Picked::All);
                } else if let Some(found) = matches.get(*highlighted).filter(|_| *open) {
                    pick.emit(found.picked);
                }
            }
            "Escape" if *open || typed.is_some() => {
                // Closes this list only; the page's own Esc (back) is for the next press.
                e.stop_propagation();
                typed.set(None);
                open.set(false);
            }
            _ => {}
        })
    };
    let onfocus = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| open.set(true))
    };
    let onblur = {
        let (typed, open, pick) = (typed.clone(), open.clone(), pick.clone());
        Callback::from(move |_: FocusEvent| match typed.as_deref() {
            Some(text) if text.trim().is_empty() => pick.emit(Picked::All),
            // Typed but not picked: the choice stays what it was.
            Some(_) | None => {
                typed.set(None);
                open.set(false);
            }
        })
    };
    let list_id = format!("{}-matches", props.testid);
    let expanded = *open && !matches.is_empty();
    html! {
        <div class="typeahead name-picker">
            <input type="search" role="combobox" autocomplete="off" data-testid={props.testid.clone()}
                   aria-expanded={expanded.to_string()} aria-controls={list_id.clone()}
                   placeholder={props.placeholder.clone()}
                   value={typed.as_ref().cloned().unwrap_or(shown_choice)}
                   {oninput} {onkeydown} {onfocus} {onblur} />
            if expanded {
                <ul class="typeahead-list" id={list_id} role="listbox">
                    { for matches.iter().enumerate().map(|(i, found)| option(found, i == *highlighted, &pick)) }
                </ul>
            }
        </div>
    }
}

fn option(found: &Match, highlighted: bool, pick: &Callback<Picked>) -> Html {
    let picked = found.picked;
    // Mouse-down, not click: the pick lands before the input loses focus.
    let onmousedown = pick.reform(move |e: MouseEvent| {
        e.prevent_default();
        picked
    });
    html! {
        <li role="option" aria-selected={highlighted.to_string()} class={classes!(highlighted.then_some("highlighted"))}
            {onmousedown}>{ &found.label }</li>
    }
}

/// The special choice and the names containing `query` (any case), the first few.
fn matches(props: &NamePickerProps, query: &str) -> Vec<Match> {
    let query = query.trim().to_lowercase();
    let special = props.special.iter().filter(|label| label.to_lowercase().contains(&query));
    let special = special.map(|label| Match { picked: Picked::Special, label: label.to_string() });
    let names = props
        .list
        .of(&props.options)
        .iter()
        .filter(|named| query.is_empty() || named.name.to_lowercase().contains(&query));
    let names = names.map(|named| Match { picked: Picked::Name(named.id), label: named.name.clone() });
    special.chain(names).take(SHOWN).collect()
}

/// What the box shows for a choice when it is not being edited.
fn label_of(props: &NamePickerProps, picked: Picked) -> String {
    match picked {
        Picked::All => String::new(),
        Picked::Special => props.special.as_ref().map(ToString::to_string).unwrap_or_default(),
        Picked::Name(id) => {
            let named = props.list.of(&props.options).iter().find(|named| named.id == id);
            named.map(|named| named.name.clone()).unwrap_or_default()
        }
    }
}
