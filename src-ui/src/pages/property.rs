//! One property: its address and landlord, its units and their tenancies. Staff let a
//! unit to a tenant (one on record or a new one), change a tenancy's dates and access
//! instructions or end it, add units, and archive the property once its work is done.

use crate::components::certificates::PropertyCertificates;
use crate::components::form::{FormErrors, TextField};
use crate::components::records::{DateField, PersonSelect, use_people};
use crate::components::schedules::PropertySchedules;
use crate::components::status::{error_banner, loading};
use crate::format;
use crate::ipc;
use crate::live::use_load;
use crate::pages::properties::PropertyForm;
use chrono::NaiveDate;
use plumbline_domain::api::{
    AccessInstructions, CommandError, Field, NewTenancy, PropertyDetail, TenancyDetail, TenancyUpdate, TenantInput,
    UnitDetail,
};
use plumbline_domain::ids::{PropertyId, UnitId};
use plumbline_domain::{Role, UserId, WorkOrderId, commands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PropertyPageProps {
    pub id: PropertyId,
    pub on_back: Callback<()>,
    /// Opens an order (one a schedule raised).
    pub on_open: Callback<WorkOrderId>,
}

/// What is open for editing on the page: one form at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Editing {
    Nothing,
    Property,
    NewUnit,
    LetUnit(UnitId),
    Tenancy(plumbline_domain::ids::TenancyId),
}

#[function_component]
pub fn PropertyPage(props: &PropertyPageProps) -> Html {
    let load = use_load(props.id, |id| commands::GetProperty { id: *id }, |_| false);
    let editing = use_state(|| Editing::Nothing);
    let failure = use_state(|| None::<CommandError>);
    // A form's save answers with the property as it now stands.
    let saved = {
        let (loaded, editing, failure) = (load.loaded.clone(), editing.clone(), failure.clone());
        Callback::from(move |detail: PropertyDetail| {
            failure.set(None);
            editing.set(Editing::Nothing);
            loaded.set(Some(Ok(detail)));
        })
    };
    let edit = {
        let editing = editing.clone();
        Callback::from(move |what: Editing| editing.set(if *editing == what { Editing::Nothing } else { what }))
    };
    let back = props.on_back.reform(|_: MouseEvent| ());
    html! {
        <section class="page">
            <button class="back link-button" onclick={back}>{ "← Properties" }</button>
            { match &*load.loaded {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(detail)) => html! {
                    <>
                        { view(detail, *editing, &edit, &saved, &failure) }
                        <PropertyCertificates property={detail.id} on_open_order={props.on_open.clone()} />
                        <PropertySchedules property={detail.id} units={units_of(detail)} on_open_order={props.on_open.clone()} />
                    </>
                },
            } }
        </section>
    }
}

fn view(
    detail: &PropertyDetail,
    editing: Editing,
    edit: &Callback<Editing>,
    saved: &Callback<PropertyDetail>,
    failure: &UseStateHandle<Option<CommandError>>,
) -> Html {
    let input = &detail.input;
    html! {
        <>
            <header class="page-head">
                <div>
                    <h1 data-testid="property-name">
                        { &input.name }
                        if detail.archived_at.is_some() { <span class="pill off">{ "Archived" }</span> }
                    </h1>
                    <p class="muted">{ format!("{}, {} {} · Landlord: {}", input.street, input.city, input.postcode, detail.landlord_name) }</p>
                </div>
                <div class="head-actions">
                    <button class="ghost" id="edit-property" onclick={edit.reform(|_| Editing::Property)}>{ "Edit" }</button>
                    { archive_button(detail, saved, failure) }
                </div>
            </header>
            if let Some(error) = &**failure {
                { error_banner(error) }
            }
            if editing == Editing::Property {
                <PropertyForm id={Some(detail.id)} start={Some(input.clone())} on_saved={saved.clone()} />
            }
            <div class="card">
                <div class="card-head">
                    <h2>{ "Units and tenancies" }</h2>
                    <button class="small-button" id="add-unit" onclick={edit.reform(|_| Editing::NewUnit)}>{ "Add unit" }</button>
                </div>
                if editing == Editing::NewUnit {
                    <UnitForm property={detail.id} on_saved={saved.clone()} />
                }
                if detail.units.is_empty() {
                    <p class="muted">{ "No units yet. Add one (\"Whole house\", \"Flat 1\") to let it to a tenant." }</p>
                }
                { for detail.units.iter().map(|unit| unit_view(unit, editing, edit, saved)) }
            </div>
        </>
    }
}

/// The units a schedule may be for.
fn units_of(detail: &PropertyDetail) -> Vec<(UnitId, String)> {
    detail.units.iter().map(|unit| (unit.id, unit.label.clone())).collect()
}

fn archive_button(
    detail: &PropertyDetail,
    saved: &Callback<PropertyDetail>,
    failure: &UseStateHandle<Option<CommandError>>,
) -> Html {
    let (id, archived) = (detail.id, detail.archived_at.is_none());
    let onclick = {
        let (saved, failure) = (saved.clone(), failure.clone());
        Callback::from(move |_| {
            let (saved, failure) = (saved.clone(), failure.clone());
            ipc::call_then(commands::SetPropertyArchived { id, archived }, move |answer| match answer {
                Ok(detail) => saved.emit(detail),
                Err(error) => failure.set(Some(error)),
            });
        })
    };
    let title = if archived { "Hide it from lists and new requests; its orders stay" } else { "" };
    html! {
        <button class="ghost" id="archive-property" {onclick} {title}>{ if archived { "Archive" } else { "Restore" } }</button>
    }
}

fn unit_view(unit: &UnitDetail, editing: Editing, edit: &Callback<Editing>, saved: &Callback<PropertyDetail>) -> Html {
    let unit_id = unit.id;
    html! {
        <div class="unit" data-unit={unit.label.clone()}>
            <div class="unit-head">
                <h3>{ &unit.label }</h3>
                <button class="small-button" data-testid="let-unit" onclick={edit.reform(move |_| Editing::LetUnit(unit_id))}>
                    { "Add tenancy" }
                </button>
            </div>
            if editing == Editing::LetUnit(unit.id) {
                <TenancyForm unit={unit.id} on_saved={saved.clone()} />
            }
            if unit.tenancies.is_empty() {
                <p class="muted">{ "Vacant: no tenancy on record." }</p>
            } else {
                <table class="records compact">
                    <thead><tr><th>{ "Tenant" }</th><th>{ "From" }</th><th>{ "To" }</th><th>{ "Access" }</th><th></th></tr></thead>
                    <tbody>{ for unit.tenancies.iter().map(|t| tenancy_row(t, editing, edit, saved)) }</tbody>
                </table>
            }
        </div>
    }
}

/// Today on this computer's calendar.
fn today() -> NaiveDate {
    format::today_input().parse::<NaiveDate>().unwrap_or_default()
}

fn tenancy_row(
    tenancy: &TenancyDetail,
    editing: Editing,
    edit: &Callback<Editing>,
    saved: &Callback<PropertyDetail>,
) -> Html {
    let id = tenancy.id;
    let access = [
        tenancy.access.gate_code.as_ref().map(|c| format!("Gate {c}")),
        tenancy.access.lockbox_code.as_ref().map(|c| format!("Lockbox {c}")),
        (!tenancy.access.pets.is_empty()).then(|| format!("Pets: {}", tenancy.access.pets)),
    ];
    let access: Vec<String> = access.into_iter().flatten().collect();
    html! {
        <>
            <tr data-tenant={tenancy.tenant_email.clone()} class={classes!((!tenancy.current).then_some("deactivated"))}>
                <td class="primary">{ &tenancy.tenant_name }<div class="muted small">{ &tenancy.tenant_email }</div></td>
                <td>{ format::day(tenancy.started_on) }</td>
                <td>
                    { tenancy.ended_on.map_or_else(|| "—".to_owned(), format::day) }
                    if tenancy.current { <span class="pill ok">{ "Current" }</span> }
                    else if tenancy.started_on > today() { <span class="pill info">{ "Starts later" }</span> }
                    else { <span class="pill off">{ "Ended" }</span> }
                </td>
                <td class="muted small">{ access.join(" · ") }</td>
                <td class="row-actions">
                    <button class="small-button" data-testid="edit-tenancy" onclick={edit.reform(move |_| Editing::Tenancy(id))}>{ "Edit" }</button>
                </td>
            </tr>
            if editing == Editing::Tenancy(tenancy.id) {
                <tr class="form-row"><td colspan="5"><TenancyEdit tenancy={tenancy.clone()} on_saved={saved.clone()} /></td></tr>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct UnitFormProps {
    property: PropertyId,
    on_saved: Callback<PropertyDetail>,
}

#[function_component]
fn UnitForm(props: &UnitFormProps) -> Html {
    let label = use_state(String::new);
    let errors = use_state(FormErrors::default);
    let onsubmit = {
        let (label, errors, on_saved, property) =
            (label.clone(), errors.clone(), props.on_saved.clone(), props.property);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (label, errors, on_saved) = ((*label).clone(), errors.clone(), on_saved.clone());
            ipc::call_then(commands::AddUnit { property, label }, move |answer| match answer {
                Ok(detail) => on_saved.emit(detail),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let on_input = {
        let label = label.clone();
        Callback::from(move |value: String| label.set(value))
    };
    html! {
        <form class="inline-form" {onsubmit} novalidate=true>
            <TextField id="unit-label" label="Unit" value={(*label).clone()} {on_input} autofocus=true
                       hint="\"Whole house\", \"Flat 2\", \"Ground floor\"" error={errors.for_field(Field::Unit)} />
            if let Some(error) = &errors.general { { error_banner(error) } }
            <button id="save-unit" class="primary-button" type="submit">{ "Add unit" }</button>
        </form>
    }
}

/// A code field: blank is no code.
fn some(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

/// The access instructions' fields, shared by a new tenancy and an edited one.
fn access_fields<D: Clone + 'static>(
    draft: &UseStateHandle<D>,
    access: &AccessInstructions,
    errors: &FormErrors,
    get: fn(&mut D) -> &mut AccessInstructions,
) -> Html {
    let set = |apply: fn(&mut AccessInstructions, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(get(&mut next), value);
            draft.set(next);
        })
    };
    html! {
        <>
            <div class="field-row">
                <TextField id="tenancy-gate" label="Gate code" value={access.gate_code.clone().unwrap_or_default()}
                           on_input={set(|a, v| a.gate_code = some(v))} error={errors.for_field(Field::GateCode)} />
                <TextField id="tenancy-lockbox" label="Lockbox code" value={access.lockbox_code.clone().unwrap_or_default()}
                           on_input={set(|a, v| a.lockbox_code = some(v))} error={errors.for_field(Field::LockboxCode)} />
            </div>
            <div class="field-row">
                <TextField id="tenancy-pets" label="Pets" value={access.pets.clone()} on_input={set(|a, v| a.pets = v)}
                           error={errors.for_field(Field::Pets)} />
                <TextField id="tenancy-contact" label="Best contact" value={access.best_contact.clone()}
                           on_input={set(|a, v| a.best_contact = v)} error={errors.for_field(Field::BestContact)} />
                <TextField id="tenancy-times" label="Preferred times" value={access.preferred_times.clone()}
                           on_input={set(|a, v| a.preferred_times = v)} error={errors.for_field(Field::PreferredTimes)} />
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct TenancyFormProps {
    unit: UnitId,
    on_saved: Callback<PropertyDetail>,
}

/// Lets the unit: to a tenant on record, or to a new one.
#[function_component]
fn TenancyForm(props: &TenancyFormProps) -> Html {
    let draft = use_state(|| NewTenancy {
        unit: props.unit,
        tenant: TenantInput::New { name: String::new(), email: String::new(), phone: String::new() },
        started_on: today(),
        ended_on: None,
        access: AccessInstructions::default(),
    });
    let errors = use_state(FormErrors::default);
    let tenants = use_people(Role::Tenant);
    let onsubmit = {
        let (draft, errors, on_saved) = (draft.clone(), errors.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if draft.tenant == TenantInput::Existing(UserId(0)) {
                errors.set(FormErrors::on(Field::Tenant, "choose the tenant"));
                return;
            }
            let (tenancy, errors, on_saved) = ((*draft).clone(), errors.clone(), on_saved.clone());
            ipc::call_then(commands::AddTenancy { tenancy }, move |answer| match answer {
                Ok(detail) => on_saved.emit(detail),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let new_tenant = matches!(draft.tenant, TenantInput::New { .. });
    let choose = |existing: bool| {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let tenant = if existing {
                TenantInput::Existing(UserId(0))
            } else {
                TenantInput::New { name: String::new(), email: String::new(), phone: String::new() }
            };
            draft.set(NewTenancy { tenant, ..(*draft).clone() });
        })
    };
    let tenant_fields = match &draft.tenant {
        TenantInput::New { name, email, phone } => {
            let set = |apply: fn(&mut String, &mut String, &mut String, String)| {
                let draft = draft.clone();
                Callback::from(move |value: String| {
                    let mut next = (*draft).clone();
                    if let TenantInput::New { name, email, phone } = &mut next.tenant {
                        apply(name, email, phone, value);
                    }
                    draft.set(next);
                })
            };
            html! {
                <div class="field-row">
                    <TextField id="tenant-name" label="Tenant's name" value={name.clone()} autofocus=true
                               on_input={set(|n, _, _, v| *n = v)} error={errors.for_field(Field::Name)} />
                    <TextField id="tenant-email" label="E-mail" kind="email" value={email.clone()}
                               on_input={set(|_, e, _, v| *e = v)} error={errors.for_field(Field::Email)} />
                    <TextField id="tenant-phone" label="Phone (optional)" kind="tel" value={phone.clone()}
                               on_input={set(|_, _, p, v| *p = v)} error={errors.for_field(Field::Phone)} />
                </div>
            }
        }
        TenantInput::Existing(chosen) => {
            let draft = draft.clone();
            let on_choose = Callback::from(move |id: UserId| {
                draft.set(NewTenancy { tenant: TenantInput::Existing(id), ..(*draft).clone() })
            });
            html! {
                <PersonSelect id="tenancy-tenant" label="Tenant" people={tenants} chosen={*chosen} {on_choose}
                              error={errors.for_field(Field::Tenant)} />
            }
        }
    };
    let on_start = {
        let draft = draft.clone();
        Callback::from(move |day: Option<NaiveDate>| {
            if let Some(started_on) = day {
                draft.set(NewTenancy { started_on, ..(*draft).clone() });
            }
        })
    };
    let on_end = {
        let draft = draft.clone();
        Callback::from(move |ended_on: Option<NaiveDate>| draft.set(NewTenancy { ended_on, ..(*draft).clone() }))
    };
    html! {
        <form class="inline-form tenancy-form" {onsubmit} novalidate=true>
            <div class="segmented" role="group" aria-label="Tenant">
                <button type="button" aria-pressed={new_tenant.to_string()} onclick={choose(false)}>{ "New tenant" }</button>
                <button type="button" id="existing-tenant" aria-pressed={(!new_tenant).to_string()} onclick={choose(true)}>{ "Tenant on record" }</button>
            </div>
            { tenant_fields }
            <div class="field-row">
                <DateField id="tenancy-start" label="Starts" value={Some(draft.started_on)} on_change={on_start}
                           error={errors.for_field(Field::StartedOn)} />
                <DateField id="tenancy-end" label="Ends (if known)" value={draft.ended_on} on_change={on_end}
                           error={errors.for_field(Field::EndedOn)} />
            </div>
            { access_fields(&draft, &draft.access, &errors, |d: &mut NewTenancy| &mut d.access) }
            if let Some(error) = &errors.general { { error_banner(error) } }
            <p class="field-hint">{ "A new tenant gets an account without a password: send them one from Users when they should sign in." }</p>
            <button id="save-tenancy" class="primary-button" type="submit">{ "Add tenancy" }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct TenancyEditProps {
    tenancy: TenancyDetail,
    on_saved: Callback<PropertyDetail>,
}

/// A tenancy's dates and access instructions; "End today" for a tenant moving out.
#[function_component]
fn TenancyEdit(props: &TenancyEditProps) -> Html {
    let t = &props.tenancy;
    let draft = use_state(|| TenancyUpdate {
        id: t.id,
        started_on: t.started_on,
        ended_on: t.ended_on,
        access: t.access.clone(),
    });
    let errors = use_state(FormErrors::default);
    let save = {
        let (draft, errors, on_saved) = (draft.clone(), errors.clone(), props.on_saved.clone());
        Callback::from(move |update: TenancyUpdate| {
            let (errors, on_saved) = (errors.clone(), on_saved.clone());
            draft.set(update.clone());
            ipc::call_then(commands::UpdateTenancy { tenancy: update }, move |answer| match answer {
                Ok(detail) => on_saved.emit(detail),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let onsubmit = {
        let (draft, save) = (draft.clone(), save.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            save.emit((*draft).clone());
        })
    };
    let end_today = {
        let (draft, save) = (draft.clone(), save.clone());
        Callback::from(move |_: MouseEvent| {
            save.emit(TenancyUpdate { ended_on: Some(today()), ..(*draft).clone() });
        })
    };
    let on_start = {
        let draft = draft.clone();
        Callback::from(move |day: Option<NaiveDate>| {
            if let Some(started_on) = day {
                draft.set(TenancyUpdate { started_on, ..(*draft).clone() });
            }
        })
    };
    let on_end = {
        let draft = draft.clone();
        Callback::from(move |ended_on: Option<NaiveDate>| draft.set(TenancyUpdate { ended_on, ..(*draft).clone() }))
    };
    html! {
        <form class="inline-form tenancy-form" {onsubmit} novalidate=true>
            <div class="field-row">
                <DateField id="edit-tenancy-start" label="Started" value={Some(draft.started_on)} on_change={on_start}
                           error={errors.for_field(Field::StartedOn)} />
                <DateField id="edit-tenancy-end" label="Ends" value={draft.ended_on} on_change={on_end}
                           error={errors.for_field(Field::EndedOn)}
                           hint="Requests can be raised through the last day; not after." />
            </div>
            { access_fields(&draft, &draft.access, &errors, |d: &mut TenancyUpdate| &mut d.access) }
            if let Some(error) = &errors.general { { error_banner(error) } }
            <div class="form-buttons">
                <button id="save-tenancy-changes" class="primary-button" type="submit">{ "Save" }</button>
                if props.tenancy.current {
                    <button type="button" id="end-tenancy" class="ghost" onclick={end_today}>{ "End today" }</button>
                }
            </div>
        </form>
    }
}
