//! The contractor's dashboard: new orders to accept, jobs under way, this month's
//! earnings, what is still owed, jobs completed this month, visits to make and Recent
//! Activity. Every number opens the list it counted.

use crate::components::badges::StateBadge;
use crate::components::overview::{
    amount_tile, attention_if_any, beside_activity, dashboard_page, tile, use_dashboard,
};
use crate::pages::dashboard::DashboardProps;
use crate::{format, ipc};
use plumbline_domain::WorkOrderId;
use plumbline_domain::api::{AppointmentItem, ContractorDashboard};
use yew::prelude::*;

#[function_component]
pub fn ContractorDashboardPage(props: &DashboardProps) -> Html {
    let dashboard = use_dashboard(ipc::contractor_dashboard);
    dashboard_page(
        "Your jobs and payments. Click any number to see those orders.",
        Html::default(),
        &dashboard,
        |board| view(board, props),
    )
}

fn view(board: &ContractorDashboard, props: &DashboardProps) -> Html {
    let on_show = &props.on_show;
    let own = html! {
        <>
            <h2>{ "Appointments" }</h2>
            { appointments(&board.appointments, &props.on_open) }
        </>
    };
    html! {
        <>
            <div class="tiles" data-testid="contractor-tiles">
                { tile(&board.new_orders, attention_if_any(&board.new_orders), on_show) }
                { tile(&board.in_progress, "", on_show) }
                { amount_tile(&board.earnings_this_month, "Total earnings this month", "jobs paid", on_show) }
                { amount_tile(&board.pending_payments, "Pending payments", "jobs not paid yet", on_show) }
                { tile(&board.completed_this_month, "", on_show) }
            </div>
            { beside_activity(own, &board.activity, &props.on_open) }
        </>
    }
}

/// Visits still to make, soonest first, with their day (they are not all today).
fn appointments(items: &[AppointmentItem], on_open: &Callback<WorkOrderId>) -> Html {
    if items.is_empty() {
        return html! { <p class="muted">{ "No visits booked." }</p> };
    }
    html! {
        <ul class="appointments" data-testid="appointments">
            { for items.iter().map(|item| {
                let id = item.id;
                html! {
                    <li>
                        <button class="row-link" onclick={on_open.reform(move |_: MouseEvent| id)}>
                            <span class="when day">
                                <span>{ format::local_date(item.start) }</span>
                                <span class="secondary">{ format!("{}–{}", format::local_time(item.start), format::local_time(item.end)) }</span>
                            </span>
                            <span class="what">
                                <span class="primary">{ format!("{} · {}", item.reference, item.subcategory) }</span>
                                <span class="secondary">{ format!("{}, {}", item.property, item.unit) }</span>
                            </span>
                            <StateBadge state={item.state} />
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
