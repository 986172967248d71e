//! The landlord's dashboard: what waits on them or on a contractor, work under way,
//! this month's spend, each of their properties and Recent Activity. Every number opens
//! the list it counted.

use crate::components::overview::{
    amount_tile, attention_if_any, beside_activity, dashboard_page, tile, use_dashboard,
};
use crate::format;
use crate::pages::dashboard::DashboardProps;
use plumbline_domain::api::{LandlordDashboard, PropertySummary, WorkOrderFilter};
use plumbline_domain::commands;
use yew::prelude::*;

#[function_component]
pub fn LandlordDashboardPage(props: &DashboardProps) -> Html {
    let dashboard = use_dashboard(commands::LandlordDashboard {});
    dashboard_page("Repairs on your properties. Each number opens its orders.", Html::default(), &dashboard, |board| {
        view(board, props)
    })
}

fn view(board: &LandlordDashboard, props: &DashboardProps) -> Html {
    let on_show = &props.on_show;
    let own = html! {
        <>
            <h2>{ "My properties" }</h2>
            { properties(&board.properties, on_show) }
        </>
    };
    html! {
        <>
            <div class="tiles count-5" data-testid="landlord-tiles">
                { tile(&board.awaiting_approval, attention_if_any(&board.awaiting_approval), on_show) }
                { tile(&board.awaiting_contractor, "", on_show) }
                { tile(&board.in_progress, "", on_show) }
                { amount_tile(&board.spend_this_month, "Spend this month", ("job completed", "jobs completed"), on_show) }
                { amount_tile(&board.spend_this_year, "Spend this year", ("job completed", "jobs completed"), on_show) }
            </div>
            { beside_activity(own, &board.activity, &props.on_open) }
        </>
    }
}

/// Each property with its open orders; clicking one lists them.
fn properties(properties: &[PropertySummary], on_show: &Callback<WorkOrderFilter>) -> Html {
    if properties.is_empty() {
        return html! { <p class="muted">{ "No properties are managed for you yet." }</p> };
    }
    html! {
        <ul class="property-list" data-testid="properties">
            { for properties.iter().map(|property| {
                let filter = property.open.filter.clone();
                let open = property.open.count;
                html! {
                    <li>
                        <button class="row-link" data-count={property.address.clone()} onclick={on_show.reform(move |_: MouseEvent| filter.clone())}>
                            <span class="what">
                                <span class="primary">{ &property.address }</span>
                                // A property known by a name ("Harbour View") shows it under its address.
                                if !property.address.starts_with(&property.name) {
                                    <span class="secondary">{ &property.name }</span>
                                }
                            </span>
                            <span class="spent" data-spent={property.spend_this_year.total_minor.minor_units().to_string()}>
                                { format!("{} this year", format::money(property.spend_this_year.total_minor)) }
                            </span>
                            <span class={classes!("open-count", (open == 0).then_some("none"))}>
                                { match open {
                                    0 => "No open orders".to_owned(),
                                    1 => "1 open order".to_owned(),
                                    n => format!("{} open orders", format::thousands(n)),
                                } }
                            </span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
