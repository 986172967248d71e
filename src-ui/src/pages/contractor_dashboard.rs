//! The contractor's dashboard: new orders to accept, jobs under way, this month's
//! earnings, what is still owed, jobs completed this month, visits to make and Recent
//! Activity. Every number opens the list it counted.

use crate::components::overview::{
    Visits, amount_tile, appointments, attention_if_any, beside_activity, dashboard_page, tile, use_dashboard,
};
use crate::components::quotes::QuoteRequests;
use crate::pages::dashboard::DashboardProps;
use plumbline_domain::api::ContractorDashboard;
use plumbline_domain::commands;
use yew::prelude::*;

#[function_component]
pub fn ContractorDashboardPage(props: &DashboardProps) -> Html {
    let dashboard = use_dashboard(commands::ContractorDashboard {});
    dashboard_page("Your jobs and payments. Each number opens its orders.", Html::default(), &dashboard, |board| {
        view(board, props)
    })
}

fn view(board: &ContractorDashboard, props: &DashboardProps) -> Html {
    let on_show = &props.on_show;
    let own = html! {
        <>
            <h2>{ "Appointments" }</h2>
            { appointments(&board.appointments, Visits::Upcoming, &props.on_open) }
        </>
    };
    html! {
        <>
            <div class="tiles" data-testid="contractor-tiles">
                { tile(&board.new_orders, attention_if_any(&board.new_orders), on_show) }
                { tile(&board.in_progress, "", on_show) }
                { amount_tile(&board.earnings_this_month, "Total earnings this month", ("job paid", "jobs paid"), on_show) }
                { amount_tile(&board.pending_payments, "Pending payments", ("job not paid yet", "jobs not paid yet"), on_show) }
                { tile(&board.completed_this_month, "", on_show) }
            </div>
            <QuoteRequests />
            { beside_activity(own, &board.activity, &props.on_open) }
        </>
    }
}
