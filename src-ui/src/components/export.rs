//! Export buttons: save what the screen shows where the user chooses in the native
//! dialog (the list with its filters and sort, or a report's table, as CSV; an order's
//! summary or evidence pack as PDF) and say where it went. The long ones (the list, read
//! page by page; the evidence pack, which reads every photo) say how far they have got
//! and can be cancelled. In a browser (the web portal) the agency server makes the file
//! and it arrives as the browser's own download, named as the dialog would suggest.

use crate::ipc;
use crate::live::use_event;
use plumbline_domain::WorkOrderId;
use plumbline_domain::api::{
    CommandError, EXPORT_PROGRESS_EVENT, ExportProgress, ListSort, ReportRequest, WorkOrderFilter,
};
use plumbline_domain::commands;
use yew::prelude::*;

/// What to save.
#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    /// Every page of the list.
    List {
        filter: WorkOrderFilter,
        sort: ListSort,
    },
    Report(ReportRequest),
    /// An order on one page.
    Summary(WorkOrderId),
    /// Everything about an order, photos embedded.
    EvidencePack {
        id: WorkOrderId,
        internal_notes: bool,
    },
}

impl Export {
    fn label(&self) -> &'static str {
        match self {
            Export::List { .. } | Export::Report(_) => "Export CSV",
            Export::Summary(_) => "Summary PDF",
            Export::EvidencePack { .. } => "Evidence pack PDF",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Export::List { .. } => "Save every order in this list, with its filters, as a CSV file",
            Export::Report(_) => "Save this report's table, with its filters, as a CSV file",
            Export::Summary(_) => "Save this order on one page, as a PDF",
            Export::EvidencePack { .. } => {
                "Save everything about this order (history, messages, photos, money) as one PDF"
            }
        }
    }

    /// Whether it tells its progress and can be cancelled: on the desktop, which reads
    /// it step by step (in a browser the server makes it in one request).
    fn long(&self) -> bool {
        matches!(self, Export::List { .. } | Export::EvidencePack { .. }) && !ipc::in_browser()
    }

    /// Where it was saved (in a browser, the downloaded file's name); `None` if the user
    /// cancelled.
    async fn save(self) -> Result<Option<String>, CommandError> {
        match self {
            Export::List { filter, sort } => ipc::call(commands::ExportWorkOrders { filter, sort }).await,
            Export::Report(request) => ipc::call(commands::ExportReport { request }).await,
            Export::Summary(id) => ipc::call(commands::ExportWorkOrderPdf { id }).await,
            Export::EvidencePack { id, internal_notes } => {
                ipc::call(commands::ExportEvidencePack { id, internal_notes }).await
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportButtonProps {
    pub export: Export,
    pub testid: AttrValue,
}

/// The export's button, and what became of the export.
#[function_component]
pub fn ExportButton(props: &ExportButtonProps) -> Html {
    let said = use_state(|| None::<Result<String, CommandError>>);
    let busy = use_state(|| false);
    let progress = use_state(|| None::<String>);
    let long = props.export.long();
    use_event(EXPORT_PROGRESS_EVENT, {
        let (progress, busy) = (progress.clone(), busy.clone());
        Callback::from(move |told: ExportProgress| {
            if long && *busy {
                progress.set(Some(told.step));
            }
        })
    });
    let cancelled = use_mut_ref(|| false);
    let cancel = {
        let cancelled = cancelled.clone();
        Callback::from(move |_: MouseEvent| {
            *cancelled.borrow_mut() = true;
            wasm_bindgen_futures::spawn_local(async {
                // Nothing is saved either way; a refusal here has nothing to add.
                let _ = ipc::call(commands::CancelExport {}).await;
            });
        })
    };
    let onclick = {
        let (said, busy, progress, export) = (said.clone(), busy.clone(), progress.clone(), props.export.clone());
        Callback::from(move |_: MouseEvent| {
            let (said, busy, progress, export) = (said.clone(), busy.clone(), progress.clone(), export.clone());
            let cancelled = cancelled.clone();
            *cancelled.borrow_mut() = false;
            busy.set(true);
            said.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let answer = export.save().await;
                busy.set(false);
                progress.set(None);
                said.set(match answer {
                    Ok(Some(name)) if ipc::in_browser() => Some(Ok(format!("Downloaded {name}"))),
                    Ok(Some(path)) => Some(Ok(format!("Saved to {path}"))),
                    Ok(None) if *cancelled.borrow() => Some(Ok("Cancelled: nothing was saved".to_owned())),
                    Ok(None) => None,
                    Err(err) => Some(Err(err)),
                });
            });
        })
    };
    html! {
        <div class="export">
            <button class="ghost" data-testid={props.testid.clone()} disabled={*busy} {onclick} title={props.export.title()}>
                { if *busy { "Exporting…" } else { props.export.label() } }
            </button>
            if long && *busy {
                <span class="export-said" data-testid="export-progress">{ progress.as_deref().unwrap_or("Starting") }{ "…" }</span>
                <button class="link-button" data-testid="export-cancel" onclick={cancel}>{ "Cancel" }</button>
            }
            { match &*said {
                Some(Ok(message)) => html! { <span class="export-said" data-testid="export-said">{ message }</span> },
                Some(Err(err)) => html! { <span class="export-said error" data-testid="export-said">{ &err.message }</span> },
                None => Html::default(),
            } }
        </div>
    }
}
