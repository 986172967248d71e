//! The tenancy type-ahead: search as the caller gives their name or street, pick with
//! the mouse or ↑/↓/Enter, and show the choice as a card with a way to change it.

use crate::ipc;
use plumbline_domain::api::{SearchTenancies, TenancyChoice};
use plumbline_domain::commands;
use wasm_bindgen::JsValue;
use web_sys::HtmlInputElement;
use yew::prelude::*;

const SHOWN: u32 = 8;
/// Long enough to skip the keystrokes of a word typed at speed.
const DEBOUNCE_MS: i32 = 150;

/// What the search shows under the input.
#[derive(Clone, PartialEq)]
enum Matches {
    Hidden,
    Found(Vec<TenancyChoice>),
    Failed(String),
}

/// The chosen tenancy's card, or the search for one (`error`: why the form needs one).
pub fn tenancy_picker(
    chosen: Option<&TenancyChoice>,
    on_choose: Callback<Option<TenancyChoice>>,
    error: Option<String>,
) -> Html {
    if let Some(chosen) = chosen {
        let change = on_choose.reform(|_: MouseEvent| None);
        return html! {
            <div class="tenancy-card" data-testid="chosen-tenancy" data-tenancy={chosen.id.0.to_string()}>
                <div>
                    <div class="tenant-name">{ &chosen.tenant }</div>
                    <div>{ &chosen.address }</div>
                    <div class="secondary">{ &chosen.unit }</div>
                </div>
                <button type="button" class="link accent" id="change-tenancy" onclick={change}>{ "Change" }</button>
            </div>
        };
    }
    html! { <TenancySearch {on_choose} {error} /> }
}

#[derive(Properties, PartialEq)]
struct TenancySearchProps {
    on_choose: Callback<Option<TenancyChoice>>,
    error: Option<String>,
}

#[function_component]
fn TenancySearch(props: &TenancySearchProps) -> Html {
    let query = use_state(String::new);
    let matches = use_state(|| Matches::Hidden);
    let highlighted = use_state(|| 0usize);
    // Bumped on every keystroke: a search whose number is no longer current is stale.
    let generation = use_mut_ref(|| 0u32);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(element) = input.cast::<HtmlInputElement>() {
                let _ = element.focus();
            }
        });
    }

    let oninput = {
        let (query, matches, highlighted) = (query.clone(), matches.clone(), highlighted.clone());
        let generation = generation.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            query.set(text.clone());
            highlighted.set(0);
            let current = generation.borrow().wrapping_add(1);
            *generation.borrow_mut() = current;
            if text.trim().is_empty() {
                matches.set(Matches::Hidden);
                return;
            }
            let (generation, matches) = (generation.clone(), matches.clone());
            wasm_bindgen_futures::spawn_local(async move {
                sleep_ms(DEBOUNCE_MS).await;
                if *generation.borrow() != current {
                    return;
                }
                let answer =
                    ipc::call(commands::SearchTenancies { request: SearchTenancies { query: text, limit: SHOWN } })
                        .await;
                if *generation.borrow() == current {
                    matches.set(match answer {
                        Ok(found) => Matches::Found(found),
                        Err(err) => Matches::Failed(err.message),
                    });
                }
            });
        })
    };
    let found = match &*matches {
        Matches::Found(found) => found.clone(),
        Matches::Hidden | Matches::Failed(_) => Vec::new(),
    };
    let onkeydown = {
        let (found, matches, highlighted, on_choose) =
            (found.clone(), matches.clone(), highlighted.clone(), props.on_choose.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" if !found.is_empty() => {
                e.prevent_default();
                highlighted.set((*highlighted + 1).min(found.len() - 1));
            }
            "ArrowUp" => {
                e.prevent_default();
                highlighted.set(highlighted.saturating_sub(1));
            }
            "Enter" => {
                // Enter picks; it never submits the form from here.
                e.prevent_default();
                if let Some(choice) = found.get(*highlighted) {
                    on_choose.emit(Some(choice.clone()));
                }
            }
            "Escape" => matches.set(Matches::Hidden),
            _ => {}
        })
    };
    let active = (!found.is_empty()).then(|| format!("tenancy-option-{}", *highlighted));
    html! {
        <div class="typeahead">
            <input
                ref={input}
                id="tenancy-search"
                type="search"
                role="combobox"
                autocomplete="off"
                aria-expanded={(!found.is_empty()).to_string()}
                aria-controls="tenancy-matches"
                aria-activedescendant={active}
                placeholder="Tenant's name, street, postcode or flat"
                value={(*query).clone()}
                class={classes!(props.error.is_some().then_some("invalid"))}
                {oninput}
                {onkeydown}
            />
            { match &*matches {
                Matches::Hidden => html! {},
                Matches::Failed(message) => html! { <div class="typeahead-note error-text">{ message }</div> },
                Matches::Found(found) if found.is_empty() => html! {
                    <div class="typeahead-note" data-testid="no-tenancy">{ format!("No current tenancy matches “{}”", query.trim()) }</div>
                },
                Matches::Found(found) => listbox(found, *highlighted, &props.on_choose),
            } }
            if let Some(message) = &props.error {
                <p class="field-error" id="tenancy-error" role="alert">{ message }</p>
            }
        </div>
    }
}

fn listbox(found: &[TenancyChoice], highlighted: usize, on_choose: &Callback<Option<TenancyChoice>>) -> Html {
    html! {
        <ul class="typeahead-list" id="tenancy-matches" role="listbox">
            { for found.iter().enumerate().map(|(i, choice)| {
                let picked = choice.clone();
                // Mouse-down, not click: the pick lands before the input could lose focus.
                let onmousedown = on_choose.reform(move |e: MouseEvent| { e.prevent_default(); Some(picked.clone()) });
                html! {
                    <li id={format!("tenancy-option-{i}")} role="option" aria-selected={(i == highlighted).to_string()}
                        class={classes!((i == highlighted).then_some("highlighted"))}
                        data-tenancy={choice.id.0.to_string()} {onmousedown}>
                        <span class="primary">{ &choice.tenant }</span>
                        <span class="secondary">{ format!("{} · {}", choice.address, choice.unit) }</span>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Resolves after `ms` milliseconds (a `setTimeout` as a future).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
