//! The tenant's dashboard: a prominent "New request", what is waiting and under way,
//! their latest requests and Recent Activity. Every number opens the list it counted.

use crate::components::badges::StateBadge;
use crate::components::overview::{beside_activity, dashboard_page, tile, use_dashboard};
use crate::format;
use plumbline_domain::WorkOrderId;
use plumbline_domain::api::{TenantDashboard, WorkOrderFilter, WorkOrderRow};
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
            <div class="tiles count-3" data-testid="tenant-tiles">
                { tile(&board.pending, "", &props.on_show) }
                { tile(&board.in_progress, "", &props.on_show) }
                { tile(&board.all_requests, "", &props.on_show) }
            </div>
            { beside_activity(own, &board.activity, &props.on_open) }
        </>
    }
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
                            <StateBadge state={row.state} />
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
