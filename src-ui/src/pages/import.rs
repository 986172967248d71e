//! Import (an admin): bring the agency's book in from its spreadsheets. Choose a CSV
//! file, see what it would add and which rows are wrong and why, import the good rows in
//! one go (with progress on a large file), and save the rejected rows to fix and import
//! again: a file imported twice adds nothing the second time.

use crate::components::fill::Fill;
use crate::components::status::error_banner;
use crate::format;
use crate::ipc;
use crate::live::use_event;
use plumbline_domain::api::{CommandError, ImportCounts, ImportFile, ImportProgress, ImportReport};
use plumbline_domain::commands;
use yew::prelude::*;

/// The event the shell reports a long import's progress on (`commands/import.rs`).
const PROGRESS_EVENT: &str = "plumbline://import-progress";

#[derive(Clone, PartialEq)]
enum Stage {
    Choosing,
    Previewing(ImportFile),
    Previewed(ImportFile, ImportReport),
    Importing(ImportFile),
    Done(ImportReport),
}

#[function_component]
pub fn ImportPage() -> Html {
    let stage = use_state(|| Stage::Choosing);
    let failure = use_state(|| None::<CommandError>);
    let progress = use_state(|| None::<ImportProgress>);
    use_event(PROGRESS_EVENT, {
        let progress = progress.clone();
        Callback::from(move |p: ImportProgress| progress.set(Some(p)))
    });
    let choose = {
        let (stage, failure) = (stage.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            let (stage, failure) = (stage.clone(), failure.clone());
            wasm_bindgen_futures::spawn_local(async move {
                failure.set(None);
                let file = match ipc::call(commands::PickImportFile {}).await {
                    Ok(Some(file)) => file,
                    Ok(None) => return,
                    Err(error) => return failure.set(Some(error)),
                };
                stage.set(Stage::Previewing(file.clone()));
                match ipc::call(commands::PreviewImport { file: file.clone() }).await {
                    Ok(report) => stage.set(Stage::Previewed(file, report)),
                    Err(error) => {
                        failure.set(Some(error));
                        stage.set(Stage::Choosing);
                    }
                }
            });
        })
    };
    let run = {
        let (stage, failure, progress) = (stage.clone(), failure.clone(), progress.clone());
        Callback::from(move |file: ImportFile| {
            let (stage, failure, progress) = (stage.clone(), failure.clone(), progress.clone());
            progress.set(None);
            stage.set(Stage::Importing(file.clone()));
            ipc::call_then(commands::RunImport { file }, move |answer| match answer {
                Ok(report) => stage.set(Stage::Done(report)),
                Err(error) => {
                    failure.set(Some(error));
                    stage.set(Stage::Choosing);
                }
            });
        })
    };
    html! {
        <section class="page import-page">
            <header class="page-head">
                <div>
                    <h1>{ "Import" }</h1>
                    <p class="muted">{ "Bring your properties, tenants and contractors in from a spreadsheet saved as CSV." }</p>
                </div>
                if matches!(*stage, Stage::Choosing | Stage::Previewed(..) | Stage::Done(_)) {
                    <button id="choose-import-file" class="primary-button" onclick={choose}>
                        { if matches!(*stage, Stage::Choosing) { "Choose a CSV file…" } else { "Choose another file…" } }
                    </button>
                }
            </header>
            if let Some(error) = &*failure {
                { error_banner(error) }
            }
            { match &*stage {
                Stage::Choosing => formats(),
                Stage::Previewing(file) => working(&format!("Reading {}…", file.file_name), None),
                Stage::Previewed(file, report) => preview(file, report, &run),
                Stage::Importing(file) => working(&format!("Importing {}…", file.file_name), *progress),
                Stage::Done(report) => html! { <Outcome report={report.clone()} /> },
            } }
        </section>
    }
}

/// What a file should look like, before one is chosen.
fn formats() -> Html {
    html! {
        <div class="card import-help">
            <h2>{ "Two kinds of file" }</h2>
            <p>{ "Plumbline tells them apart by their first row, which names the columns. Other column names spreadsheets use (\"Post code\", \"Town\", \"Move-in date\") are understood too. Nothing is stored until you have seen the preview." }</p>
            <h3>{ "Properties, units and tenancies: one row per unit or tenancy" }</h3>
            <p><code>{ "landlord_name, landlord_email, landlord_phone, property_name, street, city, postcode, unit, tenant_name, tenant_email, tenant_phone, tenancy_start, tenancy_end, gate_code, lockbox_code, pets, best_contact, preferred_times" }</code></p>
            <p class="muted small">{ "Needed: landlord_email, street, city, postcode. A blank unit is the whole house; a row without a tenant adds the unit as vacant." }</p>
            <h3>{ "Contractors: one row per contractor" }</h3>
            <p><code>{ "company, contact_name, email, phone, trades, hourly_rate, callout_fee, insurance_expires, licence_expires, preferred, notes" }</code></p>
            <p class="muted small">{ "Needed: company, email, trades (the agency's categories, separated by ; or ,)." }</p>
            <p class="muted small">{ "Dates as 31/01/2026 or 2026-01-31; amounts as 45.00 or 1,250.00 (a currency sign is fine). Files saved by Excel on Windows or Mac (Windows-1252 or UTF-8, comma or semicolon) are all fine. People are matched by e-mail address and properties by street and postcode, so importing the same file again adds nothing new." }</p>
        </div>
    }
}

fn working(what: &str, progress: Option<ImportProgress>) -> Html {
    let percent = progress.filter(|p| p.total > 0).map(|p| p.done * 100 / p.total);
    html! {
        <div class="card" role="status">
            <p>{ what }</p>
            <div class="progress" data-testid="import-progress">
                <Fill tag="div" class={classes!("progress-fill", percent.is_none().then_some("indeterminate"))} {percent} />
            </div>
            if let Some(p) = progress {
                <p class="muted small">{ format!("{} of {} rows", format::thousands(p.done), format::thousands(p.total)) }</p>
            }
        </div>
    }
}

fn counts(created: &ImportCounts) -> String {
    let parts = [
        (created.landlords, "landlord", "landlords"),
        (created.properties, "property", "properties"),
        (created.units, "unit", "units"),
        (created.tenants, "tenant", "tenants"),
        (created.tenancies, "tenancy", "tenancies"),
        (created.contractors, "contractor", "contractors"),
    ];
    let listed: Vec<String> = parts
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{} {}", format::thousands(u64::from(n)), if n == 1 { one } else { many }))
        .collect();
    if listed.is_empty() { "nothing new".to_owned() } else { listed.join(", ") }
}

fn summary(report: &ImportReport) -> Html {
    html! {
        <dl class="facts import-summary">
            <dt>{ "File" }</dt><dd>{ format!("{} · {} · {}, separated by “{}”", report.file_name, report.kind.label(), report.encoding,
                                              if report.separator == '\t' { "tab".to_owned() } else { report.separator.to_string() }) }</dd>
            <dt>{ "Rows" }</dt><dd>{ format::thousands(report.rows) }</dd>
            <dt>{ if report.applied { "Added" } else { "Will add" } }</dt><dd data-testid="import-adds">{ counts(&report.created) }</dd>
            if report.unchanged > 0 {
                <dt>{ "Already on record" }</dt><dd>{ format!("{} rows (left as they are)", format::thousands(report.unchanged)) }</dd>
            }
            if report.duplicates > 0 {
                <dt>{ "Repeated rows" }</dt><dd>{ format!("{} (taken once)", report.duplicates) }</dd>
            }
            <dt>{ "Rejected" }</dt><dd data-testid="import-rejected-count">{ format!("{} rows", report.rejected_rows()) }</dd>
        </dl>
    }
}

fn rejected(report: &ImportReport) -> Html {
    if report.rejected.is_empty() {
        return html! { <p class="ok-text">{ "Every row is fine." }</p> };
    }
    html! {
        <table class="records compact" data-testid="rejected-rows">
            <thead><tr><th class="num">{ "Row" }</th><th>{ "Column" }</th><th>{ "Value" }</th><th>{ "Why" }</th></tr></thead>
            <tbody>
                { for report.rejected.iter().map(|p| html! {
                    <tr data-row={p.row.to_string()}>
                        <td class="num">{ p.row }</td><td><code>{ &p.column }</code></td>
                        <td class="muted">{ if p.value.is_empty() { "(blank)".to_owned() } else { p.value.clone() } }</td>
                        <td>{ &p.reason }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn preview(file: &ImportFile, report: &ImportReport, run: &Callback<ImportFile>) -> Html {
    let adds = report.created.total();
    let file = file.clone();
    let onclick = run.reform(move |_: MouseEvent| file.clone());
    html! {
        <>
            <div class="card">
                <h2>{ "Preview: nothing is stored yet" }</h2>
                { summary(report) }
                <div class="form-buttons">
                    <button id="run-import" class="primary-button" {onclick} disabled={adds == 0}>
                        { if adds == 0 { "Nothing new to import" } else { "Import these records" } }
                    </button>
                    if report.rejected_rows() > 0 {
                        <span class="muted small">{ "Rejected rows are left out; fix them in the spreadsheet and import it again." }</span>
                    }
                </div>
            </div>
            <div class="card">
                <h2>{ "Rows that will be rejected" }</h2>
                { rejected(report) }
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct OutcomeProps {
    report: ImportReport,
}

/// The import's result, and the rejected rows to save and fix.
#[function_component]
fn Outcome(props: &OutcomeProps) -> Html {
    let saved = use_state(|| None::<Result<String, CommandError>>);
    let save = {
        let (saved, report) = (saved.clone(), props.report.clone());
        Callback::from(move |_: MouseEvent| {
            let (saved, report) = (saved.clone(), report.clone());
            ipc::call_then(commands::SaveImportReport { report }, move |answer| match answer {
                Ok(Some(path)) => saved.set(Some(Ok(path))),
                Ok(None) => {}
                Err(error) => saved.set(Some(Err(error))),
            });
        })
    };
    let report = &props.report;
    html! {
        <>
            <div class="card" data-testid="import-done">
                <h2>{ "Imported" }</h2>
                { summary(report) }
            </div>
            <div class="card">
                <div class="card-head">
                    <h2>{ "Rejected rows" }</h2>
                    if !report.rejected.is_empty() {
                        <button id="save-rejected" class="small-button" onclick={save}>{ "Save as CSV…" }</button>
                    }
                </div>
                { match &*saved {
                    Some(Ok(path)) => html! { <p class="ok-text" data-testid="report-saved">{ format!("Saved to {path}") }</p> },
                    Some(Err(error)) => error_banner(error),
                    None => html! {},
                } }
                { rejected(report) }
            </div>
        </>
    }
}
