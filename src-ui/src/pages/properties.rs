//! The agency's properties: find one by any part of its address or landlord, add one,
//! and open it to keep its units and tenancies.

use crate::components::form::{FormErrors, TextField, setter, use_errors_cleared_when_fixed};
use crate::components::records::{PersonSelect, use_people};
use crate::components::status::{empty, error_banner, loading};
use crate::ipc;
use crate::live::use_load;
use plumbline_domain::Role;
use plumbline_domain::UserId;
use plumbline_domain::api::{Field, PropertyDetail, PropertyInput, PropertyList, PropertyRow, PropertySearch};
use plumbline_domain::commands;
use plumbline_domain::ids::PropertyId;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PropertiesProps {
    pub on_open: Callback<PropertyId>,
}

#[function_component]
pub fn PropertiesPage(props: &PropertiesProps) -> Html {
    let search = use_state(PropertySearch::default);
    let adding = use_state(|| false);
    let list = use_load((*search).clone(), |search| commands::ListProperties { search: search.clone() }, |_| false);
    let on_query = {
        let search = search.clone();
        Callback::from(move |query: String| search.set(PropertySearch { query, ..(*search).clone() }))
    };
    let on_archived = {
        let search = search.clone();
        Callback::from(move |_| search.set(PropertySearch { archived: !search.archived, ..(*search).clone() }))
    };
    let toggle_add = {
        let adding = adding.clone();
        Callback::from(move |_| adding.set(!*adding))
    };
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Properties" }</h1>
                    <p class="muted">{ "Every home the agency manages, its units and who lives there." }</p>
                </div>
                <button id="add-property" class="primary-button" onclick={toggle_add}>
                    { if *adding { "Close" } else { "Add property" } }
                </button>
            </header>
            if *adding {
                <PropertyForm id={None::<PropertyId>} start={None::<PropertyInput>} on_saved={props.on_open.reform(|p: PropertyDetail| p.id)} />
            }
            <div class="card records-card">
                <div class="records-search">
                    <TextField id="property-search" label="Find a property" value={search.query.clone()} on_input={on_query}
                               hint="Any part of the address, postcode or landlord's name" />
                    <label class="check-label">
                        <input type="checkbox" id="show-archived" checked={search.archived} onchange={on_archived} />
                        { "Show archived" }
                    </label>
                </div>
                { match &*list.loaded {
                    None => loading(),
                    Some(Err(error)) => error_banner(error),
                    Some(Ok(list)) if list.properties.is_empty() && search.query.is_empty() => empty("No properties yet", "Add one here, or import the agency's book from a spreadsheet (Import, for admins)."),
                    Some(Ok(list)) if list.properties.is_empty() => empty("No property matches", "Check the spelling, or search for part of the postcode."),
                    Some(Ok(list)) => table(list, &props.on_open),
                } }
            </div>
        </section>
    }
}

fn table(list: &PropertyList, on_open: &Callback<PropertyId>) -> Html {
    html! {
        <>
            <table class="records" data-testid="properties">
                <thead><tr>
                    <th>{ "Property" }</th><th>{ "Landlord" }</th><th class="num">{ "Units" }</th>
                    <th class="num">{ "Let now" }</th><th class="num">{ "Not closed" }</th>
                </tr></thead>
                <tbody>{ for list.properties.iter().map(|p| row(p, on_open)) }</tbody>
            </table>
            if list.total > list.properties.len() as i64 {
                <p class="muted table-foot">{ format!("Showing {} of {} properties: search to narrow.", list.properties.len(), list.total) }</p>
            }
        </>
    }
}

fn row(property: &PropertyRow, on_open: &Callback<PropertyId>) -> Html {
    let id = property.id;
    let open = on_open.reform(move |_: MouseEvent| id);
    html! {
        <tr class={classes!("record-row", property.archived.then_some("deactivated"))} onclick={open} data-property={property.address.clone()}>
            <td class="primary">
                { &property.name }
                if property.archived { <span class="pill off">{ "Archived" }</span> }
                <div class="muted small">{ &property.address }</div>
            </td>
            <td>{ &property.landlord }</td>
            <td class="num">{ property.units }</td>
            <td class="num">{ property.current_tenancies }</td>
            <td class="num">{ property.orders_not_closed }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
pub struct PropertyFormProps {
    /// `None`: a new property.
    pub id: Option<PropertyId>,
    pub start: Option<PropertyInput>,
    pub on_saved: Callback<PropertyDetail>,
}

/// A property's address and landlord, new or edited.
#[function_component]
pub fn PropertyForm(props: &PropertyFormProps) -> Html {
    let draft = use_state(|| {
        props.start.clone().unwrap_or(PropertyInput {
            name: String::new(),
            street: String::new(),
            city: String::new(),
            postcode: String::new(),
            landlord: UserId(0),
        })
    });
    let errors = use_state(FormErrors::default);
    use_errors_cleared_when_fixed(&draft, &errors, &ADDRESS_CHECKED, |draft| {
        missing_in(draft).fields.into_iter().map(|(field, _)| field).collect()
    });
    let landlords = use_people(Role::Landlord);
    let onsubmit = {
        let (draft, errors, on_saved, id) = (draft.clone(), errors.clone(), props.on_saved.clone(), props.id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let missing = missing_in(&draft);
            if !missing.is_empty() {
                return errors.set(missing);
            }
            let (property, errors, on_saved) = ((*draft).clone(), errors.clone(), on_saved.clone());
            ipc::call_then(commands::SaveProperty { id, property }, move |answer| match answer {
                Ok(saved) => on_saved.emit(saved),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let field = |apply| setter(&draft, apply);
    let on_landlord = {
        let draft = draft.clone();
        Callback::from(move |landlord: UserId| draft.set(PropertyInput { landlord, ..(*draft).clone() }))
    };
    html! {
        <form class="card record-form" {onsubmit} novalidate=true>
            <h2>{ if props.id.is_some() { "Edit property" } else { "Add a property" } }</h2>
            if let Some(error) = &errors.general {
                { error_banner(error) }
            }
            <div class="field-row">
                <TextField id="property-street" label="Street address" value={draft.street.clone()} autofocus=true
                           on_input={field(|d, v| d.street = v)} error={errors.for_field(Field::Street)} />
                <TextField id="property-name" label="Name (optional)" value={draft.name.clone()}
                           hint="How staff call it, if not by its street address"
                           on_input={field(|d, v| d.name = v)} error={errors.for_field(Field::Name)} />
            </div>
            <div class="field-row">
                <TextField id="property-city" label="Town or city" value={draft.city.clone()}
                           on_input={field(|d, v| d.city = v)} error={errors.for_field(Field::City)} />
                <TextField id="property-postcode" label="Postcode" value={draft.postcode.clone()}
                           on_input={field(|d, v| d.postcode = v)} error={errors.for_field(Field::Postcode)} />
            </div>
            <PersonSelect id="property-landlord" label="Landlord" people={landlords} chosen={draft.landlord}
                          on_choose={on_landlord} error={errors.for_field(Field::Landlord)}
                          hint="Not listed? Invite them from Users as a landlord first." />
            <button id="save-property" class="primary-button" type="submit">
                { if props.id.is_some() { "Save changes" } else { "Add property" } }
            </button>
        </form>
    }
}

/// The fields `missing_in` judges.
const ADDRESS_CHECKED: [Field; 4] = [Field::Street, Field::City, Field::Postcode, Field::Landlord];

/// Every required part of the address still empty, and a landlord not chosen: all at
/// once, each under its field (the service checks again, and its lengths).
fn missing_in(draft: &PropertyInput) -> FormErrors {
    let required = [
        (Field::Street, &draft.street, "Enter the street"),
        (Field::City, &draft.city, "Enter the town or city"),
        (Field::Postcode, &draft.postcode, "Enter the postcode"),
    ];
    let mut missing = FormErrors::default();
    for (field, text, message) in required {
        if text.trim().is_empty() {
            missing = missing.and(field, message);
        }
    }
    if draft.landlord.0 == 0 {
        missing = missing.and(Field::Landlord, "Choose the landlord");
    }
    missing
}
