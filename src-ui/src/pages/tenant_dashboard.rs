//! The tenant's dashboard: a prominent "New request", what is waiting and under way,
//! their latest requests and Recent Activity. Every number opens the list it counted.

use crate::components::badges::state_badge;
use crate::components::overview::{beside_activity, dashboard_page, tile, use_dashboard};
use crate::format;
use crate::ipc;
use plumbline_domain::WorkOrderId;
use plumbline_domain::api::{ActOnWorkOrder, CommandError, Step, TenantDashboard, WorkOrderFilter, WorkOrderRow};
use plumbline_domain::commands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TenantDashboardProps {
    pub on_show: Callback<WorkOrderFilter>,
    pub on_open: Callback<WorkOrderId>,
    pub on_new_request: Callback<()>,
}

#[function_component]
pub fn TenantDashboardPage(props: &TenantDashboardProps) -> Html {
    let dashboard = use_dashboard(commands::TenantDashboard {});
    let button = html! {
        <button class="primary-button big" data-testid="new-request" title="New request (G N)"
                onclick={props.on_new_request.reform(|_: MouseEvent| ())}>{ "+ New request" }</button>
    };
    dashboard_page("Your repair requests and how they are going.", button, &dashboard, |board| view(board, props))
}

fn view(board: &TenantDashboard, props: &TenantDashboardProps) -> Html {
    let see_all = {
        let filter = board.all_requests.filter.clone();
        props.on_show.reform(move |_: MouseEvent| filter.clone())
    };
    let own = html! {
        <>
            <div class="card-head">
                <h2>{ "My requests" }</h2>
                if board.all_requests.count > board.requests.len() as u64 {
                    <button class="link accent" onclick={see_all}>{ "See all" }</button>
                }
            </div>
            { requests(&board.requests, &props.on_open) }
        </>
    };
    html! {
        <>
            { to_confirm(&board.to_confirm, &props.on_open) }
            <div class="tiles count-3" data-testid="tenant-tiles">
                { tile(&board.pending, "", &props.on_show) }
                { tile(&board.in_progress, "", &props.on_show) }
                { tile(&board.all_requests, "", &props.on_show) }
            </div>
            { beside_activity(own, &board.activity, &props.on_open) }
        </>
    }
}

/// Each finished job asks the one question left: is it fixed? "Yes" closes it in one
/// click; "No" opens the order, where the tenant says what is still wrong.
fn to_confirm(rows: &[WorkOrderRow], on_open: &Callback<WorkOrderId>) -> Html {
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <div class="card to-confirm" data-testid="to-confirm">
            <h2>{ "Waiting for you" }</h2>
            <ul class="requests">
                { for rows.iter().map(|row| html! { <ConfirmRow row={row.clone()} on_open={on_open.clone()} /> }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ConfirmRowProps {
    row: WorkOrderRow,
    on_open: Callback<WorkOrderId>,
}

#[function_component]
fn ConfirmRow(props: &ConfirmRowProps) -> Html {
    let (busy, error) = (use_state(|| false), use_state(|| None::<String>));
    let row = &props.row;
    let id = row.id;
    let confirm = {
        let (busy, error) = (busy.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (busy, error) = (busy.clone(), error.clone());
            // The dashboard follows the change feed, so the row leaves once confirmed.
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(err) = confirm_done(id).await {
                    error.set(Some(err.message));
                    busy.set(false);
                }
            });
        })
    };
    html! {
        <li class="confirm-row" data-reference={row.reference.to_string()}>
            <span class="what">
                <span class="primary">{ format!("{} – {}: is it fixed?", row.category, row.subcategory) }</span>
                <span class="secondary">{ format!("{} · {}, {} · the contractor says the work is done", row.reference, row.property, row.unit) }</span>
                if let Some(message) = &*error { <span class="error-text" role="alert">{ message }</span> }
            </span>
            <span class="confirm-buttons">
                <button class="primary-button" data-testid="confirm-done" disabled={*busy} onclick={confirm}>{ "Yes, it's fixed" }</button>
                <button class="link" data-testid="not-fixed" onclick={props.on_open.reform(move |_: MouseEvent| id)}>{ "No, there's still a problem" }</button>
            </span>
        </li>
    }
}

/// Confirms on the order as it stands now (a row carries no version).
async fn confirm_done(id: WorkOrderId) -> Result<(), CommandError> {
    let order = ipc::call(commands::GetWorkOrder { id }).await?;
    let request = ActOnWorkOrder { id, version: order.version, step: Step::ConfirmDone };
    ipc::call(commands::ActOnWorkOrder { request }).await.map(|_| ())
}

fn requests(rows: &[WorkOrderRow], on_open: &Callback<WorkOrderId>) -> Html {
    if rows.is_empty() {
        return html! { <p class="muted">{ "You have not raised a request yet." }</p> };
    }
    html! {
        <ul class="requests" data-testid="requests">
            { for rows.iter().map(|row| {
                let id = row.id;
                html! {
                    <li>
                        <button class="row-link" data-reference={row.reference.to_string()} onclick={on_open.reform(move |_: MouseEvent| id)}>
                            <span class="what">
                                <span class="primary">{ format!("{} – {}", row.category, row.subcategory) }</span>
                                <span class="secondary">{ format!("{} · {}, {} · raised {} ago", row.reference, row.property, row.unit, format::age(row.opened_at)) }</span>
                            </span>
                            { state_badge(row.state) }
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
