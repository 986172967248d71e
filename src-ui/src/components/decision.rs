//! A landlord's decision on an estimate, as one card above Approve and Decline: the
//! amount, the work and where, who would do it, the quote, and the tenant's own words
//! and photos. Everything needed to decide without scrolling through the order.

use crate::components::attachments::{Thumbnails, file_row};
use crate::live::use_load;
use crate::{format, ipc};
use plumbline_domain::api::{Attachment, CommandError, Quote, WorkOrderDetail};
use plumbline_domain::quote::QuoteStatus;
use plumbline_domain::{AttachmentKind, WorkOrderId, commands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DecisionCardProps {
    pub order: WorkOrderDetail,
}

#[function_component]
pub fn DecisionCard(props: &DecisionCardProps) -> Html {
    let files = use_files(props.order.row.id);
    let quotes = use_load(props.order.row.id, |id| commands::OrderQuotes { id: *id }, |_| false).loaded;
    let proposed = match &*quotes {
        Some(Ok(quotes)) => quotes.quotes.iter().find(|quote| quote.status == QuoteStatus::Proposed).cloned(),
        _ => None,
    };
    let error = use_state(|| None::<CommandError>);
    let order = &props.order;
    let row = &order.row;
    let Some(estimate) = order.estimate_minor else { return Html::default() };
    let quotes: Vec<&Attachment> = files.iter().filter(|a| a.kind == AttachmentKind::Quote).collect();
    let photos: Vec<Attachment> = files
        .iter()
        .filter(|a| {
            a.media_type.is_previewable_image() && matches!(a.kind, AttachmentKind::Before | AttachmentKind::Other)
        })
        .cloned()
        .collect();
    html! {
        <div class="card decision" data-testid="approval-needed">
            <h2>{ "Your approval is needed" }</h2>
            <p class="decision-amount" data-testid="decision-amount">{ format::money(estimate) }</p>
            <dl class="facts">
                <dt>{ "Work" }</dt><dd>{ format!("{} – {}", row.category, row.subcategory) }</dd>
                <dt>{ "Where" }</dt><dd>{ format!("{}, {}", order.address, row.unit) }</dd>
                <dt>{ "Contractor" }</dt>
                <dd data-testid="decision-contractor">{ contractor(row.contractor.as_deref(), proposed.as_ref()) }</dd>
                <dt>{ "Quote" }</dt>
                <dd data-testid="decision-quote">
                    if quotes.is_empty() { <span class="secondary">{ "No quote document attached" }</span> }
                    <ul class="files">{ for quotes.iter().map(|quote| file_row(quote, error.clone())) }</ul>
                </dd>
            </dl>
            <h3>{ "What the tenant reported" }</h3>
            <blockquote class="description">{ &order.description }</blockquote>
            if !photos.is_empty() {
                <Thumbnails {photos} testid="decision-photos" />
            }
            if let Some(err) = &*error {
                <p class="field-error">{ &err.message }</p>
            }
            <p class="muted small">
                { "The estimate is above the amount you let the agency approve for you. Approve it, or decline with a reason (\"get a second quote\") and the agency will come back to you." }
            </p>
        </div>
    }
}

/// Who would do the work: the assigned contractor, the one whose quote is sent for
/// approval (compared with the others on the Quotes card), or the agency's choice later.
fn contractor(assigned: Option<&str>, proposed: Option<&Quote>) -> String {
    match (assigned, proposed) {
        (Some(assigned), _) => assigned.to_owned(),
        (None, Some(quote)) => format!("{}, whose quote is compared with the others below", quote.company),
        (None, None) => "Chosen by the agency once you approve".to_owned(),
    }
}

/// The order's files, loaded once for the card.
#[hook]
fn use_files(id: WorkOrderId) -> UseStateHandle<Vec<Attachment>> {
    let files = use_state(Vec::new);
    {
        let files = files.clone();
        use_effect_with(id, move |id| {
            let id = *id;
            ipc::call_then(commands::ListAttachments { id }, move |answer| {
                if let Ok(found) = answer {
                    files.set(found);
                }
            });
        });
    }
    files
}
