//! Compliance certificates on screen: a property's card (each kind's current certificate,
//! red / amber / green, its file, its renewal order, the ones it replaced, and the form
//! that records one), and the table of what runs out when across the agency (or a
//! landlord's properties). Each certificate's file opens in the OS's own app (in a
//! browser, it is downloaded).

use crate::components::file_picker::FilePicker;
use crate::components::form::{FormErrors, TextField, use_errors_cleared_when_fixed};
use crate::components::records::{DateField, document_pill};
use crate::components::status::{error_banner, loading};
use crate::format;
use crate::ipc;
use crate::live::use_load;
use chrono::NaiveDate;
use plumbline_domain::api::{
    Certificate, CertificateFile, CertificateInput, ChosenFile, CommandError, Field, ListCertificates,
};
use plumbline_domain::attachment::size_label;
use plumbline_domain::compliance::{STANDARD_KINDS, standard_months};
use plumbline_domain::ids::{CertificateId, PropertyId};
use plumbline_domain::{Reference, WorkOrderId, commands};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// What a browser offers for a certificate's file: its PDF, or a photo of it (as the
/// desktop's dialog).
const CERTIFICATE_FILES: &str = "application/pdf,image/*";

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
    /// Staff on a property's page attach (or replace) each certificate's file.
    #[prop_or_default]
    pub on_file_attached: Option<Callback<Certificate>>,
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
                    <th>{ "File" }</th>
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
                            <td>{ format::day(c.issued_on) }</td>
                            <td>{ if c.current { document_pill(c.status, true) } else { html! { format::day(c.expires_on) } } }</td>
                            <FileCell id={c.id} file={c.file.clone()} on_attached={props.on_file_attached.clone()} />
                            <td>{ renewal_link(c, &props.on_open_order) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct FileCellProps {
    id: CertificateId,
    file: Option<CertificateFile>,
    /// Given to staff, who may attach (or replace) the file.
    on_attached: Option<Callback<Certificate>>,
}

/// A certificate's file: its name, which opens it, and for staff "Attach…" / "Replace…".
#[function_component]
fn FileCell(props: &FileCellProps) -> Html {
    let error = use_state(|| None::<CommandError>);
    let id = props.id;
    let on_open = {
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let error = error.clone();
            ipc::call_then(commands::OpenCertificateFile { id }, move |answer| error.set(answer.err()));
        })
    };
    // Staff's "Attach file…": the shell's dialog on the desktop, the page's input in a
    // browser; either way the file is then kept as the certificate's.
    let attach = props.on_attached.clone().map(|on_attached| {
        let attached = {
            let error = error.clone();
            Callback::from(move |attached: Result<Option<Certificate>, CommandError>| match attached {
                Ok(Some(certificate)) => on_attached.emit(certificate),
                Ok(None) => {}
                Err(err) => error.set(Some(err)),
            })
        };
        let on_desktop = {
            let attached = attached.clone();
            Callback::from(move |()| {
                let attached = attached.clone();
                wasm_bindgen_futures::spawn_local(async move { attached.emit(choose_and_attach(id).await) });
            })
        };
        let on_chosen = Callback::from(move |chosen: Vec<ChosenFile>| {
            let Some(file) = chosen.into_iter().next() else { return };
            let attached = attached.clone();
            ipc::call_then(commands::AttachCertificateFile { id, token: file.token }, move |answer| {
                attached.emit(answer.map(Some))
            });
        });
        (on_desktop, on_chosen)
    });
    html! {
        <td class="certificate-file">
            if let Some(file) = &props.file {
                <button type="button" class="link-button" data-testid="open-certificate-file" title={file_facts(file)} onclick={on_open}>
                    { &file.name }
                </button>
            }
            if let Some((on_desktop, on_chosen)) = attach {
                <FilePicker label={if props.file.is_some() { "Replace…" } else { "Attach file…" }} class="small-button"
                            testid="attach-certificate-file" input_testid="attach-certificate-file-input" accept={CERTIFICATE_FILES} multiple=false
                            {on_desktop} {on_chosen} />
            } else if props.file.is_none() {
                <span class="muted">{ "—" }</span>
            }
            if let Some(err) = &*error { <p class="field-error">{ &err.message }</p> }
        </td>
    }
}

/// "PDF · 120 KB · added by Sam Patel, 3 Dec 2026 14:05".
fn file_facts(file: &CertificateFile) -> String {
    format!(
        "{} · {} · added by {}, {}",
        file.media_type.label().trim_start_matches("a ").trim_start_matches("an "),
        size_label(u64::try_from(file.size_bytes).unwrap_or_default()),
        file.added_by,
        format::local_date_time(file.added_at)
    )
}

/// The native dialog, then the chosen file kept as the certificate's; `None` if the
/// user cancelled.
async fn choose_and_attach(id: CertificateId) -> Result<Option<Certificate>, CommandError> {
    match ipc::call(commands::ChooseCertificateFile {}).await? {
        Some(chosen) => ipc::call(commands::AttachCertificateFile { id, token: chosen.token }).await.map(Some),
        None => Ok(None),
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
    /// The certificate's file, chosen to attach once it is recorded.
    file: Option<ChosenFile>,
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

/// A certificate recorded, and why its chosen file could not be attached, if it could not.
type Recorded = (Certificate, Option<CommandError>);

#[derive(Properties, PartialEq)]
struct CertificateFormProps {
    property: PropertyId,
    on_saved: Callback<Recorded>,
}

/// Records the certificate, then attaches its chosen file: a file refused then leaves the
/// certificate recorded (recording it again would make two), and says why.
async fn record(certificate: CertificateInput, file: Option<ChosenFile>) -> Result<Recorded, CommandError> {
    let recorded = ipc::call(commands::RecordCertificate { certificate }).await?;
    let Some(file) = file else { return Ok((recorded, None)) };
    match ipc::call(commands::AttachCertificateFile { id: recorded.id, token: file.token }).await {
        Ok(with_file) => Ok((with_file, None)),
        Err(err) => {
            let message = format!("The certificate was recorded, but {} was not attached: {}", file.name, err.message);
            Ok((recorded, Some(CommandError { message, ..err })))
        }
    }
}

#[function_component]
fn CertificateForm(props: &CertificateFormProps) -> Html {
    let draft = use_state(|| Draft {
        kind: STANDARD_KINDS[0].0.to_owned(),
        other: String::new(),
        issued_on: None,
        expires_on: None,
        file: None,
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
            let (errors, on_saved, file) = (errors.clone(), on_saved.clone(), draft.file.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match record(certificate, file).await {
                    Ok(recorded) => on_saved.emit(recorded),
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
    let on_file = {
        let draft = draft.clone();
        Callback::from(move |file: ChosenFile| draft.set(Draft { file: Some(file), ..(*draft).clone() }))
    };
    let on_choose_file = {
        let (on_file, errors) = (on_file.clone(), errors.clone());
        Callback::from(move |()| {
            let (on_file, errors) = (on_file.clone(), errors.clone());
            ipc::call_then(commands::ChooseCertificateFile {}, move |answer| match answer {
                Ok(Some(file)) => on_file.emit(file),
                Ok(None) => {}
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let on_chosen_file = Callback::from(move |chosen: Vec<ChosenFile>| {
        if let Some(file) = chosen.into_iter().next() {
            on_file.emit(file);
        }
    });
    let on_drop_file = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| draft.set(Draft { file: None, ..(*draft).clone() }))
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
                <div class="field certificate-file-field">
                    <span>{ "File" }</span>
                    if let Some(file) = &draft.file {
                        <span class="chosen-file" data-testid="chosen-certificate-file">
                            { format!("{} · {}", file.name, size_label(file.size_bytes)) }
                            <button type="button" class="link-button" onclick={on_drop_file} aria-label="Remove the file">{ "Remove" }</button>
                        </span>
                    } else {
                        <FilePicker label="Choose PDF or photo…" class="small-button" id="choose-certificate-file"
                                    testid="choose-certificate-file" input_testid="certificate-file-input" accept={CERTIFICATE_FILES} multiple=false
                                    on_desktop={on_choose_file} on_chosen={on_chosen_file} />
                    }
                    if let Some(error) = errors.for_field(Field::Files) { <span class="field-error">{ error }</span> }
                </div>
            </div>
            if let Some(error) = &errors.general { { error_banner(error) } }
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
    let file_problem = use_state(|| None::<CommandError>);
    let on_saved = {
        let (adding, reload, file_problem) = (adding.clone(), load.reload.clone(), file_problem.clone());
        Callback::from(move |(_, problem): Recorded| {
            adding.set(false);
            file_problem.set(problem);
            reload.emit(());
        })
    };
    let on_file_attached = {
        let (reload, file_problem) = (load.reload.clone(), file_problem.clone());
        Callback::from(move |_: Certificate| {
            file_problem.set(None);
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
            if let Some(error) = &*file_problem { { error_banner(error) } }
            { match &*load.loaded {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(certificates)) if certificates.is_empty() => html! {
                    <p class="muted">{ "None recorded. A let home needs a gas safety record each year, an EICR every five years and an EPC." }</p>
                },
                Some(Ok(certificates)) => html! {
                    <CertificateTable certificates={certificates.clone()} on_open_order={props.on_open_order.clone()}
                                      on_file_attached={on_file_attached.clone()} />
                },
            } }
        </div>
    }
}
