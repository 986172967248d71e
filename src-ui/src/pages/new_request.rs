//! "New request": a tenant reports a repair, or staff raise one on a tenant's behalf
//! while the tenant is on the phone. Triage and SLA clocks are the service's; the form
//! only gathers the facts.

use crate::components::badges::priority_badge;
use crate::components::file_picker::FilePicker;
use crate::components::status::{error_banner, loading};
use crate::components::tenancy_picker::tenancy_picker;
use crate::{format, ipc};
use plumbline_domain::api::{
    AccessInstructions, CategoryOption, ChosenFile, CommandError, ErrorCode, Field, MAX_ACCESS_CHARS,
    MAX_DESCRIPTION_CHARS, SearchTenancies, SubcategoryOption, SubmitRequest, Submitted, TenancyChoice,
};
use plumbline_domain::attachment::size_label;
use plumbline_domain::commands;
use plumbline_domain::ids::CategoryId;
use plumbline_domain::{Priority, Severity, WorkOrderId};
use std::collections::HashMap;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NewRequestProps {
    pub on_open: Callback<WorkOrderId>,
    /// The tenant reports their own repair: their home is chosen for them, and the form
    /// speaks to them rather than about them.
    #[prop_or_default]
    pub tenant: bool,
}

/// What the form says, to staff on the phone or to the tenant themselves.
struct Wording {
    /// Whether the desk's reasoning ("category default Urgent") is shown: to staff, yes.
    shows_triage: bool,
    subtitle: &'static str,
    severity: &'static str,
    triage: &'static str,
    reference: &'static str,
    /// The way out when the tip solved it.
    tip_fixed_it: &'static str,
}

const FOR_STAFF: Wording = Wording {
    shows_triage: true,
    subtitle: "A tenant on the phone: find their tenancy, then note what is wrong in their words.",
    severity: "How serious is it, in the tenant's words?",
    triage: "Triage sets the priority from the category, the tenant's severity and the description.",
    reference: "Give the tenant this reference to quote if they call again.",
    tip_fixed_it: "The tip fixed it: no repair needed",
};

const FOR_TENANT: Wording = Wording {
    shows_triage: false,
    subtitle: "Tell us what is wrong. We set the priority, book a contractor and keep you posted here.",
    severity: "How serious is it?",
    triage: "We set the priority from the category, how serious you say it is and your description.",
    reference: "Quote this reference if you call us about it.",
    tip_fixed_it: "That fixed it: I don't need a repair",
};

/// What the form holds so far.
#[derive(Clone, Default, PartialEq)]
struct Draft {
    tenancy: Option<TenancyChoice>,
    category: Option<CategoryId>,
    subcategory: Option<CategoryId>,
    severity: Option<Severity>,
    description: String,
    access: AccessInstructions,
    /// Photos chosen on this computer, attached once the request exists.
    photos: Vec<ChosenFile>,
}

/// Messages by the field they are about (the service's, or the form's own checks).
type FieldErrors = HashMap<Field, String>;

/// The fields `request_from` checks itself, whose problems it can see put right.
const FORM_CHECKED: [Field; 4] = [Field::Tenancy, Field::Subcategory, Field::Severity, Field::Description];

#[derive(Clone, PartialEq)]
enum Phase {
    Editing,
    Sending,
    Sent(Box<Sent>),
    /// The category's tip fixed it: nothing was sent.
    FixedByTip,
}

/// The answer, with the tenancy it was for (the confirmation names them).
#[derive(Clone, PartialEq)]
struct Sent {
    submitted: Submitted,
    tenancy: TenancyChoice,
    /// How many photos went with it, or why they could not.
    photos: Result<usize, String>,
}

#[function_component]
pub fn NewRequestPage(props: &NewRequestProps) -> Html {
    let options = use_state(|| None::<Result<Vec<CategoryOption>, CommandError>>);
    {
        let options = options.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(
                async move { options.set(Some(ipc::call(commands::IntakeOptions {}).await)) },
            );
        });
    }
    let draft = use_state(Draft::default);
    let wording = if props.tenant { &FOR_TENANT } else { &FOR_STAFF };
    let homes = use_state(Vec::<TenancyChoice>::new);
    {
        let (homes, draft) = (homes.clone(), draft.clone());
        use_effect_with(props.tenant, move |tenant| {
            if *tenant {
                let request = SearchTenancies { query: String::new(), limit: 50 };
                ipc::call_then(commands::SearchTenancies { request }, move |answer| {
                    if let Ok(found) = answer {
                        choose_home(&draft, found.first().cloned());
                        homes.set(found);
                    }
                });
            }
        });
    }
    let errors = use_state(FieldErrors::new);
    {
        // A problem the form named goes as soon as it is put right, not at the next submit.
        let errors = errors.clone();
        use_effect_with((*draft).clone(), move |draft| {
            let still_missing = request_from(draft).err().unwrap_or_default();
            let fixed = |field: &Field| FORM_CHECKED.contains(field) && !still_missing.contains_key(field);
            if errors.keys().any(fixed) {
                errors.set(errors.iter().filter(|(field, _)| !fixed(field)).map(|(f, m)| (*f, m.clone())).collect());
            }
        });
    }
    let failure = use_state(|| None::<CommandError>);
    let phase = use_state(|| Phase::Editing);
    // A new key remounts the form, so "New request" starts from a clean slate.
    let form_key = use_state(|| 0u32);

    let on_new = {
        let (draft, errors, phase, form_key) = (draft.clone(), errors.clone(), phase.clone(), form_key.clone());
        // A tenant's next request is about the same home.
        let home = props.tenant.then(|| draft.tenancy.clone()).flatten();
        Callback::from(move |_: MouseEvent| {
            let access = home.as_ref().map(|h| h.access.clone()).unwrap_or_default();
            draft.set(Draft { tenancy: home.clone(), access, ..Draft::default() });
            errors.set(FieldErrors::new());
            phase.set(Phase::Editing);
            form_key.set(*form_key + 1);
        })
    };
    let on_fixed = {
        let phase = phase.clone();
        Callback::from(move |_: MouseEvent| phase.set(Phase::FixedByTip))
    };
    let body = match (&*phase, &*options) {
        (Phase::Sent(sent), _) => confirmation(sent, wording, props.on_open.clone(), on_new),
        (Phase::FixedByTip, _) => fixed_by_tip(props.tenant, on_new),
        (_, None) => loading(),
        (_, Some(Err(err))) => error_banner(err),
        (_, Some(Ok(categories))) => {
            let onsubmit = submit(&draft, &errors, &failure, &phase);
            let on_tenancy = {
                let draft = draft.clone();
                Callback::from(move |choice| choose_home(&draft, choice))
            };
            html! {
                <form class="intake detail-grid" key={form_key.to_string()} {onsubmit} novalidate=true>
                    <div class="main-col">
                        if props.tenant {
                            { home_card(&homes, &draft, &errors) }
                        } else {
                            <div class="card">
                                <h2>{ "Tenancy" }</h2>
                                { tenancy_picker(draft.tenancy.as_ref(), on_tenancy, errors.get(&Field::Tenancy).cloned()) }
                            </div>
                        }
                        { problem_card(categories, &draft, &errors, wording, on_fixed) }
                    </div>
                    <aside class="side-col">
                        { access_card(&draft, &errors, props.tenant) }
                        { photos_card(&draft, &failure) }
                        <div class="card submit-card">
                            if let Some(err) = &*failure { { error_banner(err) } }
                            <button type="submit" id="submit-request" class="primary-button wide" disabled={*phase == Phase::Sending}>
                                { if *phase == Phase::Sending { "Submitting…" } else { "Submit request" } }
                            </button>
                            <p class="hint">{ wording.triage }</p>
                        </div>
                    </aside>
                </form>
            }
        }
    };
    html! {
        <section class="page new-request">
            <header class="page-head">
                <div>
                    <h1>{ "New request" }</h1>
                    <p class="subtitle">{ wording.subtitle }</p>
                </div>
            </header>
            { body }
        </section>
    }
}

/// The tenancy's access instructions are the starting point; they are edited from there.
fn choose_home(draft: &UseStateHandle<Draft>, choice: Option<TenancyChoice>) {
    let mut next = (**draft).clone();
    next.access = choice.as_ref().map(|c| c.access.clone()).unwrap_or_default();
    next.tenancy = choice;
    draft.set(next);
}

/// A tenant's own home (or, with several tenancies, a choice of them).
fn home_card(homes: &[TenancyChoice], draft: &UseStateHandle<Draft>, errors: &FieldErrors) -> Html {
    let onchange = {
        let (draft, homes) = (draft.clone(), homes.to_vec());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            choose_home(&draft, homes.iter().find(|home| home.id.0.to_string() == value).cloned());
        })
    };
    html! {
        <div class="card">
            <h2>{ "Your home" }</h2>
            { match (homes, &draft.tenancy) {
                ([], _) => html! { <p class="muted">{ "We could not find a current tenancy of yours. Please call the agency." }</p> },
                ([_], Some(home)) => html! {
                    <p class="home" id="home">{ format!("{}, {}", home.unit, home.address) }</p>
                },
                (_, chosen) => html! {
                    <label class="field">{ "Which home is it about?" }
                        <select id="home" {onchange}>
                            { for homes.iter().map(|home| html! {
                                <option value={home.id.0.to_string()} selected={chosen.as_ref().map(|c| c.id) == Some(home.id)}>
                                    { format!("{}, {}", home.unit, home.address) }
                                </option>
                            }) }
                        </select>
                    </label>
                },
            } }
            { field_error(errors, Field::Tenancy) }
        </div>
    }
}

/// A callback that changes the draft with what the event carries.
fn edit<E: 'static>(draft: &UseStateHandle<Draft>, apply: impl Fn(&mut Draft, E) + 'static) -> Callback<E> {
    let draft = draft.clone();
    Callback::from(move |event: E| {
        let mut next = (*draft).clone();
        apply(&mut next, event);
        draft.set(next);
    })
}

fn submit(
    draft: &UseStateHandle<Draft>,
    errors: &UseStateHandle<FieldErrors>,
    failure: &UseStateHandle<Option<CommandError>>,
    phase: &UseStateHandle<Phase>,
) -> Callback<SubmitEvent> {
    let (draft, errors, failure, phase) = (draft.clone(), errors.clone(), failure.clone(), phase.clone());
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if *phase == Phase::Sending {
            return;
        }
        let (request, tenancy) = match request_from(&draft) {
            Ok(ready) => ready,
            Err(missing) => return errors.set(missing),
        };
        let tokens: Vec<u64> = draft.photos.iter().map(|photo| photo.token).collect();
        errors.set(FieldErrors::new());
        failure.set(None);
        phase.set(Phase::Sending);
        let (errors, failure, phase) = (errors.clone(), failure.clone(), phase.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match ipc::call(commands::SubmitRequest { request }).await {
                Ok(submitted) => {
                    let photos = attach_photos(submitted.id, tokens).await;
                    phase.set(Phase::Sent(Box::new(Sent { submitted, tenancy, photos })));
                }
                Err(err) => {
                    phase.set(Phase::Editing);
                    match (&err.code, &err.field) {
                        (ErrorCode::Validation, Some(field)) => errors.set(FieldErrors::from([(*field, err.message)])),
                        _ => failure.set(Some(err)),
                    }
                }
            }
        });
    })
}

/// The chosen photos, attached to the request just sent.
async fn attach_photos(id: WorkOrderId, tokens: Vec<u64>) -> Result<usize, String> {
    if tokens.is_empty() {
        return Ok(0);
    }
    match ipc::call(commands::AttachChosen { id, tokens }).await {
        Ok(attached) => Ok(attached.len()),
        Err(err) => Err(err.message),
    }
}

/// Photos to send with the request: chosen in the native dialog (in a browser, the
/// page's file input, which a phone opens on its camera), each removable.
fn photos_card(draft: &UseStateHandle<Draft>, failure: &UseStateHandle<Option<CommandError>>) -> Html {
    let on_chosen = {
        let draft = draft.clone();
        Callback::from(move |chosen: Vec<ChosenFile>| {
            let mut next = (*draft).clone();
            next.photos.extend(chosen);
            draft.set(next);
        })
    };
    let on_desktop = {
        let (on_chosen, failure) = (on_chosen.clone(), failure.clone());
        Callback::from(move |()| {
            let (on_chosen, failure) = (on_chosen.clone(), failure.clone());
            ipc::call_then(commands::ChoosePhotos {}, move |answer| match answer {
                Ok(chosen) => on_chosen.emit(chosen),
                Err(err) => failure.set(Some(err)),
            });
        })
    };
    html! {
        <div class="card photos-card" data-testid="intake-photos">
            <h2>{ "Photos" }</h2>
            <p class="hint">{ "A photo or two helps the contractor bring the right parts." }</p>
            if !draft.photos.is_empty() {
                <ul class="chosen-photos">
                    { for draft.photos.iter().map(|photo| {
                        let token = photo.token;
                        let onclick = edit(draft, move |d, _: MouseEvent| d.photos.retain(|p| p.token != token));
                        html! {
                            <li data-testid="chosen-photo">
                                <span class="file-name">{ &photo.name }</span>
                                <span class="secondary">{ size_label(photo.size_bytes) }</span>
                                <button type="button" class="chip-remove" title={format!("Remove {}", photo.name)}
                                        aria-label={format!("Remove {}", photo.name)} {onclick}>{ "×" }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <FilePicker label="Add photos" class="action" testid="add-intake-photos" input_testid="intake-photo-input" accept="image/*" camera=true
                        {on_desktop} {on_chosen} />
        </div>
    }
}

/// The request the draft describes, or a message for each choice still missing.
/// The service checks everything again; the description's rules are only its.
fn request_from(draft: &Draft) -> Result<(SubmitRequest, TenancyChoice), FieldErrors> {
    let mut missing = FieldErrors::new();
    if draft.tenancy.is_none() {
        missing.insert(Field::Tenancy, "Find the tenancy the call is about".into());
    }
    if draft.subcategory.is_none() {
        missing.insert(Field::Subcategory, "Choose what the problem is".into());
    }
    if draft.severity.is_none() {
        missing.insert(Field::Severity, "Choose how serious the tenant says it is".into());
    }
    if draft.description.trim().is_empty() {
        missing.insert(Field::Description, "Describe the problem: what is wrong, where, and since when".into());
    }
    match (&draft.tenancy, draft.subcategory, draft.severity) {
        (Some(tenancy), Some(subcategory), Some(severity)) if missing.is_empty() => Ok((
            SubmitRequest {
                tenancy: tenancy.id,
                subcategory,
                severity,
                description: draft.description.clone(),
                access: Some(draft.access.clone()),
            },
            tenancy.clone(),
        )),
        _ => Err(missing),
    }
}

fn field_error(errors: &FieldErrors, field: Field) -> Html {
    match errors.get(&field) {
        Some(message) => {
            html! { <p class="field-error" id={format!("{}-error", field.as_str())} role="alert">{ message }</p> }
        }
        None => html! {},
    }
}

fn problem_card(
    categories: &[CategoryOption],
    draft: &UseStateHandle<Draft>,
    errors: &FieldErrors,
    wording: &Wording,
    on_fixed: Callback<MouseEvent>,
) -> Html {
    let category = categories.iter().find(|c| Some(c.id) == draft.category);
    let subcategory = category.and_then(|c| c.subcategories.iter().find(|s| Some(s.id) == draft.subcategory));
    html! {
        <div class="card">
            <h2>{ "Problem" }</h2>
            <div class="field-row">
                { category_select(categories, draft) }
                { subcategory_select(category, draft, errors.contains_key(&Field::Subcategory)) }
            </div>
            { field_error(errors, Field::Subcategory) }
            if let Some(tips) = subcategory.map(|s| s.tips.as_str()).filter(|t| !t.is_empty()) {
                <div class="callout" id="tips" role="note">
                    <strong>{ "Before you book: " }</strong>{ tips }
                    <div class="tip-answer">
                        <button type="button" class="link-button" data-testid="tip-fixed-it" onclick={on_fixed}>
                            { wording.tip_fixed_it }
                        </button>
                    </div>
                </div>
            }
            { severity_cards(draft, errors, wording) }
            { description_field(draft, errors) }
        </div>
    }
}

fn category_select(categories: &[CategoryOption], draft: &UseStateHandle<Draft>) -> Html {
    let onchange = edit(draft, |d, e: Event| {
        d.category = id_of(&e.target_unchecked_into::<HtmlSelectElement>().value());
        d.subcategory = None;
    });
    html! {
        <label class="field">{ "Category" }
            <select id="category" {onchange}>
                <option value="" selected={draft.category.is_none()}>{ "Choose a category…" }</option>
                { for categories.iter().map(|c| html! {
                    <option value={c.id.0.to_string()} selected={draft.category == Some(c.id)}>{ &c.name }</option>
                }) }
            </select>
        </label>
    }
}

fn subcategory_select(category: Option<&CategoryOption>, draft: &UseStateHandle<Draft>, invalid: bool) -> Html {
    let onchange =
        edit(draft, |d, e: Event| d.subcategory = id_of(&e.target_unchecked_into::<HtmlSelectElement>().value()));
    let subcategories: &[SubcategoryOption] = category.map(|c| c.subcategories.as_slice()).unwrap_or_default();
    // Keyed by category so switching category shows the placeholder again.
    let key = category.map(|c| c.id.0).unwrap_or_default().to_string();
    html! {
        <label class="field">{ "Sub-category" }
            <select id="subcategory" {key} {onchange} disabled={category.is_none()} class={classes!(invalid.then_some("invalid"))}>
                <option value="" selected={draft.subcategory.is_none()}>
                    { if category.is_some() { "Choose a sub-category…" } else { "Choose a category first" } }
                </option>
                { for subcategories.iter().map(|s| html! {
                    <option value={s.id.0.to_string()} selected={draft.subcategory == Some(s.id)}>{ &s.name }</option>
                }) }
            </select>
        </label>
    }
}

fn id_of(value: &str) -> Option<CategoryId> {
    value.parse().ok().map(CategoryId)
}

fn severity_cards(draft: &UseStateHandle<Draft>, errors: &FieldErrors, wording: &Wording) -> Html {
    html! {
        <fieldset class="field severity">
            <legend>{ wording.severity }</legend>
            <div class="severity-options" role="radiogroup">
                { for Severity::ALL.into_iter().map(|severity| {
                    let chosen = draft.severity == Some(severity);
                    let onchange = edit(draft, move |d, _: Event| d.severity = Some(severity));
                    let name = severity.as_str().to_lowercase();
                    html! {
                        <label class={classes!("severity-card", format!("severity-{name}"), chosen.then_some("chosen"))}>
                            <input type="radio" name="severity" id={format!("severity-{name}")} value={severity.as_str()} checked={chosen} {onchange} />
                            <span class={format!("priority priority-{name}")}><span class="dot"></span>{ severity.as_str() }</span>
                            <span class="definition">{ severity.definition() }</span>
                        </label>
                    }
                }) }
            </div>
            { field_error(errors, Field::Severity) }
        </fieldset>
    }
}

fn description_field(draft: &UseStateHandle<Draft>, errors: &FieldErrors) -> Html {
    let oninput =
        edit(draft, |d, e: InputEvent| d.description = e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let used = draft.description.chars().count();
    // Warn in the last tenth, before the limit bites.
    let near_limit = used * 10 > MAX_DESCRIPTION_CHARS * 9;
    html! {
        <label class="field">
            <span class="label-row">
                { "Description" }
                <span id="description-count" class={classes!("counter", near_limit.then_some("near-limit"))}>
                    { format!("{used} / {MAX_DESCRIPTION_CHARS}") }
                </span>
            </span>
            <textarea id="description" rows="5" maxlength={MAX_DESCRIPTION_CHARS.to_string()}
                placeholder="What is wrong, where, and since when"
                class={classes!(errors.contains_key(&Field::Description).then_some("invalid"))}
                value={draft.description.clone()} {oninput}></textarea>
            { field_error(errors, Field::Description) }
        </label>
    }
}

/// One editable access instruction: the service's field name, the input's id, how to read and write it.
struct AccessField {
    field: Field,
    id: &'static str,
    label: &'static str,
    get: fn(&AccessInstructions) -> &str,
    set: fn(&mut AccessInstructions, String),
}

/// An empty code means "none", as the tenancy stores it.
fn code(text: String) -> Option<String> {
    Some(text).filter(|t| !t.trim().is_empty())
}

const ACCESS_FIELDS: [AccessField; 5] = [
    AccessField {
        field: Field::GateCode,
        id: "gate-code",
        label: "Gate code",
        get: |a| a.gate_code.as_deref().unwrap_or(""),
        set: |a, v| a.gate_code = code(v),
    },
    AccessField {
        field: Field::LockboxCode,
        id: "lockbox-code",
        label: "Lockbox code",
        get: |a| a.lockbox_code.as_deref().unwrap_or(""),
        set: |a, v| a.lockbox_code = code(v),
    },
    AccessField { field: Field::Pets, id: "pets", label: "Pets", get: |a| &a.pets, set: |a, v| a.pets = v },
    AccessField {
        field: Field::BestContact,
        id: "best-contact",
        label: "Best contact",
        get: |a| &a.best_contact,
        set: |a, v| a.best_contact = v,
    },
    AccessField {
        field: Field::PreferredTimes,
        id: "preferred-times",
        label: "Preferred times",
        get: |a| &a.preferred_times,
        set: |a, v| a.preferred_times = v,
    },
];

/// A tenant is not shown the codes on file (`Party::may_see_access_codes`): an empty code
/// keeps the agency's, so their placeholder says so instead of "None".
fn access_card(draft: &UseStateHandle<Draft>, errors: &FieldErrors, tenant: bool) -> Html {
    let unchosen = draft.tenancy.is_none();
    html! {
        <div class="card access-card">
            <h2>{ "Access" }</h2>
            <p class="hint">
                { if unchosen { "Filled in from the tenancy once you pick it." } else { "From the tenancy; changes apply to this request only." } }
            </p>
            { for ACCESS_FIELDS.iter().map(|f| {
                let set = f.set;
                let oninput = edit(draft, move |d, e: InputEvent| set(&mut d.access, e.target_unchecked_into::<HtmlInputElement>().value()));
                let is_code = f.field == Field::GateCode || f.field == Field::LockboxCode;
                html! {
                    <label class="field">{ f.label }
                        <input type="text" id={f.id} value={(f.get)(&draft.access).to_owned()} disabled={unchosen}
                            placeholder={match (unchosen, is_code && tenant) {
                                (true, _) => "",
                                (false, true) => "As the agency has it",
                                (false, false) => "None",
                            }}
                            maxlength={MAX_ACCESS_CHARS.to_string()}
                            class={classes!(is_code.then_some("code"), errors.contains_key(&f.field).then_some("invalid"))}
                            {oninput} />
                        { field_error(errors, f.field) }
                    </label>
                }
            }) }
        </div>
    }
}

/// What to do now about an emergency: danger first, who to call out of hours, and what
/// to do until someone arrives.
fn emergency_callout(submitted: &Submitted) -> Html {
    html! {
        <div class="callout emergency" data-testid="emergency-contact" role="alert">
            <strong>{ "This is an emergency. " }</strong>
            { "If anyone is in danger, call 999 first." }
            if let Some(contact) = &submitted.emergency_contact {
                { format!(" Out of hours, call {contact}.") }
            }
            if !submitted.meanwhile.is_empty() {
                <p data-testid="meanwhile"><strong>{ "Until help arrives: " }</strong>{ &submitted.meanwhile }</p>
            }
        </div>
    }
}

/// Nothing sent, and nothing lost: the tip worked.
fn fixed_by_tip(tenant: bool, on_new: Callback<MouseEvent>) -> Html {
    let said = if tenant {
        "Glad that sorted it. Nothing was sent to the agency. If the problem comes back, report it here."
    } else {
        "Nothing was raised. If the problem comes back, the tenant can call again or report it in the app."
    };
    html! {
        <div class="card confirmation" data-testid="fixed-by-tip">
            <div class="confirm-head">
                <span class="check" aria-hidden="true">{ "✓" }</span>
                <div>
                    <h1>{ "No repair needed" }</h1>
                    <p class="subtitle">{ said }</p>
                </div>
            </div>
            <div class="form-buttons">
                <button type="button" class="action" id="new-request" onclick={on_new}>{ "Report something else" }</button>
            </div>
        </div>
    }
}

fn confirmation(sent: &Sent, wording: &Wording, on_open: Callback<WorkOrderId>, on_new: Callback<MouseEvent>) -> Html {
    let (submitted, tenancy) = (&sent.submitted, &sent.tenancy);
    let reference = submitted.reference.to_string();
    let id = submitted.id;
    html! {
        <div class="card confirmation" data-testid="submitted">
            <div class="confirm-head">
                <span class="check" aria-hidden="true">{ "✓" }</span>
                <div>
                    <h1>{ "Request submitted" }</h1>
                    <p class="subtitle">{ format!("For {} · {}, {}", tenancy.tenant, tenancy.address, tenancy.unit) }</p>
                </div>
            </div>
            <dl class="facts">
                <dt>{ "Reference" }</dt><dd><span class="ref big" id="new-reference">{ &reference }</span></dd>
                <dt>{ "Priority" }</dt><dd id="new-priority">{ priority_badge(submitted.priority) }</dd>
                if wording.shows_triage {
                    <dt>{ "Why" }</dt><dd id="new-triage-reason">{ &submitted.triage_reason }</dd>
                }
            </dl>
            <p class="respond-by" data-testid="respond-by">
                { format!("The agency will respond by {}.", format::local_date_time(submitted.respond_by)) }
            </p>
            if submitted.priority == Priority::Emergency {
                { emergency_callout(submitted) }
            }
            { match &sent.photos {
                Ok(0) => Html::default(),
                Ok(1) => html! { <p data-testid="photos-sent">{ "1 photo sent with it." }</p> },
                Ok(n) => html! { <p data-testid="photos-sent">{ format!("{n} photos sent with it.") }</p> },
                Err(problem) => html! {
                    <p class="field-error" role="alert" data-testid="photos-sent">
                        { format!("The request was sent, but its photos were not ({problem}). Add them from the request's page.") }
                    </p>
                },
            } }
            <p class="hint">{ wording.reference }</p>
            <div class="form-buttons">
                <button type="button" class="primary-button" id="open-new-order" onclick={on_open.reform(move |_: MouseEvent| id)}>
                    { format!("Open {reference}") }
                </button>
                <button type="button" class="action" id="new-request" onclick={on_new}>{ "New request" }</button>
            </div>
        </div>
    }
}
