//! The staff dashboard: workload, alerts, open work by priority and state, today's
//! appointments and Recent Activity. Every number opens the list it counted.

use crate::app::Route;
use crate::components::checklist::Checklist;
use crate::components::fill::Fill;
use crate::components::overview::{Visits, activity, appointments, dashboard_page, tile, use_dashboard};
use crate::format;
use plumbline_domain::WorkOrderId;
use plumbline_domain::api::{DashboardCount, StaffDashboard, WorkOrderFilter};
use plumbline_domain::commands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    /// Show the list with this filter.
    pub on_show: Callback<WorkOrderFilter>,
    pub on_open: Callback<WorkOrderId>,
    #[prop_or_default]
    pub on_navigate: Callback<Route>,
    /// An admin also sees the first-run checklist until the agency is set up.
    #[prop_or_default]
    pub admin: bool,
}

#[function_component]
pub fn DashboardPage(props: &DashboardProps) -> Html {
    let dashboard = use_dashboard(commands::StaffDashboard {});
    dashboard_page("Today across the agency. Each number opens its orders.", Html::default(), &dashboard, |board| {
        view(board, props)
    })
}

fn view(board: &StaffDashboard, props: &DashboardProps) -> Html {
    html! {
        <>
            if props.admin {
                <Checklist on_navigate={props.on_navigate.clone()} />
            }
            <div class="tiles" data-testid="workload">
                { for board.workload.iter().map(|c| tile(c, "", &props.on_show)) }
            </div>
            <div class="tiles alerts" data-testid="alerts">
                { for board.alerts.iter().map(|c| tile(c, if c.count > 0 { "alert" } else { "calm" }, &props.on_show)) }
            </div>
            <div class="dashboard-grid">
                <div class="dash-col">
                    <div class="card">
                        <h2>{ "Open work by priority" }</h2>
                        { bars(&board.by_priority, &props.on_show, "priority") }
                    </div>
                    <div class="card">
                        <h2>{ "Today's appointments" }</h2>
                        { appointments(&board.todays_appointments, Visits::TodayForStaff, &props.on_open) }
                    </div>
                </div>
                <div class="dash-col">
                    <div class="card">
                        <h2>{ "All orders by status" }</h2>
                        { bars(&board.by_state, &props.on_show, "state") }
                    </div>
                    <div class="card">
                        <h2>{ "Recent activity" }</h2>
                        { activity(&board.activity, &props.on_open) }
                    </div>
                </div>
            </div>
        </>
    }
}

/// Horizontal bars scaled to the largest count, each a link to its list.
fn bars(counts: &[DashboardCount], on_show: &Callback<WorkOrderFilter>, kind: &'static str) -> Html {
    let largest = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    html! {
        <ul class="bars">
            { for counts.iter().map(|count| {
                let filter = count.filter.clone();
                let onclick = on_show.reform(move |_: MouseEvent| filter.clone());
                let percent = count.count * 100 / largest;
                let swatch = format!("bar-fill {kind}-{}", count.label.to_lowercase().replace(' ', "-"));
                html! {
                    <li>
                        <button class="bar-row" data-count={count.label.clone()} {onclick}>
                            <span class="bar-label">{ &count.label }</span>
                            <span class="bar-track"><Fill class={classes!(swatch)} percent={Some(percent)} /></span>
                            <span class="bar-count">{ format::thousands(count.count) }</span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
