//! Planned work: every schedule the agency keeps, soonest due first, paused ones too, so
//! staff see what is about to be raised across all properties. Schedules are made on
//! each property's page, where their units are.

use crate::components::schedules::ScheduleTable;
use crate::components::status::{error_banner, loading};
use crate::live::use_load;
use plumbline_domain::api::ListSchedules;
use plumbline_domain::ids::PropertyId;
use plumbline_domain::{ChangeKind, WorkOrderId, commands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlannedPageProps {
    pub on_open_order: Callback<WorkOrderId>,
    pub on_open_property: Callback<PropertyId>,
}

#[function_component]
pub fn PlannedPage(props: &PlannedPageProps) -> Html {
    let load = use_load(
        (),
        |_| commands::ListSchedules { request: ListSchedules { property: None, paused: true } },
        // A schedule's new order changes its counts and its next day.
        |change| change.kind == ChangeKind::Submitted,
    );
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Planned work" }</h1>
                    <p class="muted">{ "Recurring jobs raise their work orders ahead of each day. Add a schedule from its property's page." }</p>
                </div>
            </header>
            <div class="card">
                { match &*load.loaded {
                    None => loading(),
                    Some(Err(error)) => error_banner(error),
                    Some(Ok(schedules)) if schedules.is_empty() => html! {
                        <p class="muted">{ "No schedules yet. Open a property and add one: a boiler service every year, gutters every autumn." }</p>
                    },
                    Some(Ok(schedules)) => html! {
                        <ScheduleTable schedules={schedules.clone()} show_property=true on_changed={load.reload.clone()}
                                       on_open_order={props.on_open_order.clone()}
                                       on_open_property={Some(props.on_open_property.clone())} />
                    },
                } }
            </div>
        </section>
    }
}
