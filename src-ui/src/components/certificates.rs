//! Compliance certificates on screen: a property's card (each kind's current certificate,
//! red / amber / green, its renewal order, the ones it replaced, and the form that
//! records one), and the table of what runs out when across the agency (or a landlord's
//! properties).

use crate::components::form::{FormErrors, TextField, use_errors_cleared_when_fixed};
use crate::components::records::{DateField, document_pill};
use crate::components::status::{ErrorBanner, Loading};
use crate::ipc;
use crate::live::use_load;
use chrono::NaiveDate;
use plumbline_domain::api::{Certificate, CertificateInput, Field, ListCertificates};
use plumbline_domain::compliance::{STANDARD_KINDS, standard_months};
use plumbline_domain::ids::PropertyId;
use plumbline_domain::{Reference, WorkOrderId, commands};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

fn day(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// The renewal order's reference as a link, or a dash.
fn renewal_link(certificate: &Certificate, on_open: &Callback<WorkOrderId>) -> Html {
    match certificate.renewal_order {
        Some(id) => html! {
            <button class="link ref" onclick={on_open.reform(move |_: MouseEvent| id)}>{ Reference::of(id).to_string() }</button>
        },
        None => html! { <span class="muted">{ "—" }</span> },
    }
}

#[derive(Properties, PartialEq)]
pub struct CertificateTableProps {
    pub certificates: Vec<Certificate>,
    /// The agency's list names each certificate's property; a property's page does not.
    #[prop_or_default]
    pub show_property: bool,
    pub on_open_order: Callback<WorkOrderId>,
    #[prop_or_default]
    pub on_open_property: Option<Callback<PropertyId>>,
}

#[function_component]
pub fn CertificateTable(props: &CertificateTableProps) -> Html {
    html! {
        <table class="records certificates">
            <thead>
                <tr>
                    if props.show_property { <th>{ "Property" }</th> }
                    <th>{ "Certificate" }</th>
                    <th>{ "Issued" }</th>
                    <th>{ "Runs out" }</th>
                    <th>{ "Renewal" }</th>
                </tr>
            </thead>
            <tbody>
                { for props.certificates.iter().map(|c| {
                    let property = c.property;
                    html! {
                        <tr data-certificate={c.kind.clone()} class={classes!((!c.current).then_some("deactivated"))}>
                            if props.show_property {
                                <td>
                                    if let Some(open) = &props.on_open_property {
                                        <button class="link-button" onclick={open.reform(move |_| property)}>{ &c.property_name }</button>
                                    } else {
                                        { &c.property_name }
                                    }
                                </td>
                            }
                            <td class="primary">
                                { &c.kind }
                                if !c.current { <span class="muted small">{ " · replaced" }</span> }
                            </td>
                            <td>{ day(c.issued_on) }</td>
                            <td>{ if c.current { document_pill(c.status, true) } else { html! { day(c.expires_on) } } }</td>
                            <td>{ renewal_link(c, &props.on_open_order) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// What the form holds before it is checked.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    /// A standard kind's name, or "" for the agency's own (typed in `other`).
    kind: String,
    other: String,
    issued_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
}

impl Draft {
    fn kind(&self) -> &str {
        if self.kind.is_empty() { self.other.trim() } else { &self.kind }
    }
}

const FORM_CHECKED: [Field; 3] = [Field::Kind, Field::IssuedOn, Field::ExpiresOn];

fn still_wrong(draft: &Draft) -> Vec<Field> {
    checked(draft, PropertyId(0)).err().map(|e| e.fields.iter().map(|(field, _)| *field).collect()).unwrap_or_default()
}

fn checked(draft: &Draft, property: PropertyId) -> Result<CertificateInput, FormErrors> {
    let mut problems = FormErrors::default();
    if draft.kind().is_empty() {
        problems = problems.and(Field::Kind, "Name the kind of certificate");
    }
    if draft.issued_on.is_none() {
        problems = problems.and(Field::IssuedOn, "Enter the day it was issued (dd/mm/yyyy)");
    }
    if draft.expires_on.is_none() && standard_months(draft.kind()).is_none() && !draft.kind().is_empty() {
        problems = problems.and(Field::ExpiresOn, "Enter the day it runs out (dd/mm/yyyy)");
    }
    match draft.issued_on {
        Some(issued_on) if problems.is_empty() => {
            Ok(CertificateInput { property, kind: draft.kind().to_owned(), issued_on, expires_on: draft.expires_on })
        }
        _ => Err(problems),
    }
}

#[derive(Properties, PartialEq)]
struct CertificateFormProps {
    property: PropertyId,
    on_saved: Callback<Certificate>,
}

#[function_component]
fn CertificateForm(props: &CertificateFormProps) -> Html {
    let draft = use_state(|| Draft {
        kind: STANDARD_KINDS[0].0.to_owned(),
        other: String::new(),
        issued_on: None,
        expires_on: None,
    });
    let errors = use_state(FormErrors::default);
    use_errors_cleared_when_fixed(&draft, &errors, &FORM_CHECKED, still_wrong);
    let onsubmit = {
        let (draft, errors, on_saved, property) =
            (draft.clone(), errors.clone(), props.on_saved.clone(), props.property);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let certificate = match checked(&draft, property) {
                Ok(input) => input,
                Err(problems) => return errors.set(problems),
            };
            let (errors, on_saved) = (errors.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(commands::RecordCertificate { certificate }).await {
                    Ok(saved) => on_saved.emit(saved),
                    Err(error) => errors.set(FormErrors::from(error)),
                }
            });
        })
    };
    let on_kind = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let kind = e.target_unchecked_into::<HtmlSelectElement>().value();
            draft.set(Draft { kind, ..(*draft).clone() });
        })
    };
    let on_other = {
        let draft = draft.clone();
        Callback::from(move |other: String| draft.set(Draft { other, ..(*draft).clone() }))
    };
    let on_issued = {
        let draft = draft.clone();
        Callback::from(move |issued_on: Option<NaiveDate>| draft.set(Draft { issued_on, ..(*draft).clone() }))
    };
    let on_expires = {
        let draft = draft.clone();
        Callback::from(move |expires_on: Option<NaiveDate>| draft.set(Draft { expires_on, ..(*draft).clone() }))
    };
    let usual = standard_months(draft.kind()).map(|months| match months {
        12 => "Leave empty for the usual 12 months".to_owned(),
        m if m % 12 == 0 => format!("Leave empty for the usual {} years", m / 12),
        m => format!("Leave empty for the usual {m} months"),
    });
    html! {
        <form class="inline-form certificate-form" {onsubmit} novalidate=true>
            <div class="field-row">
                <label class="field">{ "Certificate" }
                    <select id="certificate-kind" onchange={on_kind}>
                        { for STANDARD_KINDS.iter().map(|(name, _)| html! {
                            <option value={*name} selected={draft.kind == *name}>{ *name }</option>
                        }) }
                        <option value="" selected={draft.kind.is_empty()}>{ "Another kind…" }</option>
                    </select>
                </label>
                if draft.kind.is_empty() {
                    <TextField id="certificate-other" label="Kind" value={draft.other.clone()} on_input={on_other}
                               hint="\"Legionella risk assessment\"" error={errors.for_field(Field::Kind)} />
                }
                <DateField id="certificate-issued" label="Issued" value={draft.issued_on} on_change={on_issued}
                           error={errors.for_field(Field::IssuedOn)} />
                <DateField id="certificate-expires" label="Runs out" value={draft.expires_on} on_change={on_expires}
                           error={errors.for_field(Field::ExpiresOn)} hint={usual.map(AttrValue::from)} />
            </div>
            if let Some(error) = &errors.general { <ErrorBanner error={error.clone()} /> }
            <button id="save-certificate" class="primary-button" type="submit">{ "Record certificate" }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct PropertyCertificatesProps {
    pub property: PropertyId,
    pub on_open_order: Callback<WorkOrderId>,
}

/// A property's card: its certificates and "Record certificate".
#[function_component]
pub fn PropertyCertificates(props: &PropertyCertificatesProps) -> Html {
    let load = use_load(
        props.property,
        |id| commands::ListCertificates { request: ListCertificates { property: Some(*id) } },
        |_| false,
    );
    let adding = use_state(|| false);
    let on_saved = {
        let (adding, reload) = (adding.clone(), load.reload.clone());
        Callback::from(move |_: Certificate| {
            adding.set(false);
            reload.emit(());
        })
    };
    let toggle = {
        let adding = adding.clone();
        Callback::from(move |_: MouseEvent| adding.set(!*adding))
    };
    html! {
        <div class="card" id="certificates">
            <div class="card-head">
                <h2>{ "Compliance certificates" }</h2>
                <button class="small-button" id="add-certificate" onclick={toggle}>{ "Record certificate" }</button>
            </div>
            if *adding {
                <CertificateForm property={props.property} {on_saved} />
            }
            { match &*load.loaded {
                None => html! { <Loading /> },
                Some(Err(error)) => html! { <ErrorBanner error={error.clone()} /> },
                Some(Ok(certificates)) if certificates.is_empty() => html! {
                    <p class="muted">{ "None recorded. A let home needs a gas safety record each year, an EICR every five years and an EPC." }</p>
                },
                Some(Ok(certificates)) => html! {
                    <CertificateTable certificates={certificates.clone()} on_open_order={props.on_open_order.clone()} />
                },
            } }
        </div>
    }
}
