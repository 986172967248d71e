//! "Export CSV": saves what the screen shows (the list with its filters and sort, or a
//! report's table) where the user chooses in the native dialog, and says where it went.

use crate::ipc;
use plumbline_domain::api::{CommandError, ListSort, ReportRequest, WorkOrderFilter};
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
}

impl Export {
    fn title(&self) -> &'static str {
        match self {
            Export::List { .. } => "Save every order in this list, with its filters, as a CSV file",
            Export::Report(_) => "Save this report's table, with its filters, as a CSV file",
        }
    }

    /// Where it was saved; `None` if the user cancelled the dialog.
    async fn save(self) -> Result<Option<String>, CommandError> {
        match self {
            Export::List { filter, sort } => ipc::call(commands::ExportWorkOrders { filter, sort }).await,
            Export::Report(request) => ipc::call(commands::ExportReport { request }).await,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportButtonProps {
    pub export: Export,
    pub testid: AttrValue,
}

#[function_component]
pub fn ExportButton(props: &ExportButtonProps) -> Html {
    let said = use_state(|| None::<Result<String, CommandError>>);
    let busy = use_state(|| false);
    let onclick = {
        let (said, busy, export) = (said.clone(), busy.clone(), props.export.clone());
        Callback::from(move |_: MouseEvent| {
            let (said, busy, export) = (said.clone(), busy.clone(), export.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let answer = export.save().await;
                busy.set(false);
                said.set(match answer {
                    Ok(Some(path)) => Some(Ok(format!("Saved to {path}"))),
                    Ok(None) => None,
                    Err(err) => Some(Err(err)),
                });
            });
        })
    };
    html! {
        <div class="export">
            <button class="ghost" data-testid={props.testid.clone()} disabled={*busy} {onclick} title={props.export.title()}>
                { if *busy { "Exporting…" } else { "Export CSV" } }
            </button>
            { match &*said {
                Some(Ok(message)) => html! { <span class="export-said" data-testid="export-said">{ message }</span> },
                Some(Err(err)) => html! { <span class="export-said error" data-testid="export-said">{ &err.message }</span> },
                None => Html::default(),
            } }
        </div>
    }
}
