//! The admin's category tree: each category and its sub-categories with the default
//! priority, the tips a tenant sees before sending, and the words that make a request an
//! emergency. Edited in place; every change joins the settings' trail.

use crate::components::form::{FormErrors, TextField};
use crate::components::status::{error_banner, loading};
use crate::ipc;
use crate::live::use_load;
use plumbline_domain::api::{CategoryInput, CategoryRecord, Field};
use plumbline_domain::ids::CategoryId;
use plumbline_domain::{Priority, commands};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Which form is open: none, one category's, or a new one under `parent`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Open {
    None,
    Edit(CategoryId),
    New(Option<CategoryId>),
}

#[derive(Properties, PartialEq)]
pub struct CategoriesProps {
    /// After a save, so the trail shows it.
    pub on_saved: Callback<()>,
}

#[function_component]
pub fn Categories(props: &CategoriesProps) -> Html {
    let load = use_load((), |_| commands::ListCategories {}, |_| false);
    let open = use_state(|| Open::None);
    let saved = {
        let (loaded, open, on_saved) = (load.loaded.clone(), open.clone(), props.on_saved.clone());
        Callback::from(move |all: Vec<CategoryRecord>| {
            loaded.set(Some(Ok(all)));
            open.set(Open::None);
            on_saved.emit(());
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |what: Open| open.set(if *open == what { Open::None } else { what }))
    };
    let all = match &*load.loaded {
        None => return html! { <div class="card">{ loading() }</div> },
        Some(Err(error)) => return html! { <div class="card">{ error_banner(error) }</div> },
        Some(Ok(all)) => all,
    };
    html! {
        <div class="card" data-testid="categories">
            <div class="card-head">
                <h2>{ "Categories" }</h2>
                <button type="button" class="small-button" id="add-category" onclick={toggle.reform(|_| Open::New(None))}>{ "Add category" }</button>
            </div>
            <p class="muted small">{ "What tenants choose from when they report a repair. A request whose words match an emergency word is raised as an emergency." }</p>
            if *open == Open::New(None) {
                <CategoryForm id={None::<CategoryId>} start={blank(None)} on_saved={saved.clone()} />
            }
            { for all.iter().filter(|c| c.input.parent.is_none()).map(|top| {
                let subs: Vec<&CategoryRecord> = all.iter().filter(|c| c.input.parent == Some(top.id)).collect();
                html! {
                    <div class="category" data-category={top.input.name.clone()}>
                        { category_line(top, *open, &toggle, &saved) }
                        <ul class="subcategories">
                            { for subs.iter().map(|sub| html! { <li>{ category_line(sub, *open, &toggle, &saved) }</li> }) }
                            <li>
                                <button type="button" class="link-button" onclick={{ let id = top.id; toggle.reform(move |_| Open::New(Some(id))) }}>
                                    { "+ Add sub-category" }
                                </button>
                                if *open == Open::New(Some(top.id)) {
                                    <CategoryForm id={None::<CategoryId>} start={blank(Some(top.id))} on_saved={saved.clone()} />
                                }
                            </li>
                        </ul>
                    </div>
                }
            }) }
        </div>
    }
}

fn blank(parent: Option<CategoryId>) -> CategoryInput {
    CategoryInput {
        parent,
        name: String::new(),
        default_priority: Priority::Routine,
        troubleshooting: String::new(),
        emergency_keywords: String::new(),
    }
}

fn category_line(
    c: &CategoryRecord,
    open: Open,
    toggle: &Callback<Open>,
    saved: &Callback<Vec<CategoryRecord>>,
) -> Html {
    let id = c.id;
    let priority = c.input.default_priority.as_str();
    html! {
        <>
            <div class="category-line">
                <span class={if c.input.parent.is_none() { "primary" } else { "" }}>{ &c.input.name }</span>
                <span class={classes!("priority", format!("priority-{}", priority.to_lowercase()))}><span class="dot"></span>{ priority }</span>
                if !c.input.emergency_keywords.is_empty() {
                    <span class="muted small">{ format!("Emergency words: {}", c.input.emergency_keywords) }</span>
                }
                <span class="muted small grow">{ if c.orders == 1 { "1 order".to_owned() } else { format!("{} orders", c.orders) } }</span>
                <button type="button" class="small-button" data-testid="edit-category" onclick={toggle.reform(move |_| Open::Edit(id))}>{ "Edit" }</button>
            </div>
            if open == Open::Edit(c.id) {
                <CategoryForm id={Some(c.id)} start={c.input.clone()} on_saved={saved.clone()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct CategoryFormProps {
    id: Option<CategoryId>,
    start: CategoryInput,
    on_saved: Callback<Vec<CategoryRecord>>,
}

#[function_component]
fn CategoryForm(props: &CategoryFormProps) -> Html {
    let draft = use_state(|| props.start.clone());
    let errors = use_state(FormErrors::default);
    let save = {
        let (draft, errors, on_saved, id) = (draft.clone(), errors.clone(), props.on_saved.clone(), props.id);
        Callback::from(move |_: MouseEvent| {
            let (category, errors, on_saved) = ((*draft).clone(), errors.clone(), on_saved.clone());
            ipc::call_then(commands::SaveCategory { id, category }, move |answer| match answer {
                Ok(all) => on_saved.emit(all),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let on_name = {
        let draft = draft.clone();
        Callback::from(move |name: String| draft.set(CategoryInput { name, ..(*draft).clone() }))
    };
    let on_keywords = {
        let draft = draft.clone();
        Callback::from(move |emergency_keywords: String| {
            draft.set(CategoryInput { emergency_keywords, ..(*draft).clone() })
        })
    };
    let on_priority = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(default_priority) = Priority::ALL.into_iter().find(|p| p.as_str() == value) {
                draft.set(CategoryInput { default_priority, ..(*draft).clone() });
            }
        })
    };
    let on_tips = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let troubleshooting = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            draft.set(CategoryInput { troubleshooting, ..(*draft).clone() });
        })
    };
    // Not a <form>: it sits inside the settings form, and forms do not nest.
    html! {
        <div class="inline-form category-form">
            <div class="field-row">
                <TextField id="category-name" label="Name" value={draft.name.clone()} on_input={on_name} autofocus=true
                           error={errors.for_field(Field::Name)} />
                <label class="field">{ "Default priority" }
                    <select id="category-priority" onchange={on_priority}>
                        { for Priority::ALL.into_iter().map(|p| html! { <option value={p.as_str()} selected={p == draft.default_priority}>{ p.as_str() }</option> }) }
                    </select>
                </label>
            </div>
            <TextField id="category-keywords" label="Emergency words" value={draft.emergency_keywords.clone()} on_input={on_keywords}
                       hint="Separated by commas, e.g. flood, burst, no water" error={errors.for_field(Field::EmergencyKeywords)} />
            <label class="field">{ "Troubleshooting tips for tenants" }
                <textarea id="category-tips" rows="2" value={draft.troubleshooting.clone()} oninput={on_tips}></textarea>
            </label>
            if let Some(message) = errors.for_field(Field::Troubleshooting) { <p class="field-error" role="alert">{ message }</p> }
            if let Some(error) = &errors.general { { error_banner(error) } }
            <button type="button" id="save-category" class="primary-button" onclick={save}>{ "Save category" }</button>
        </div>
    }
}
