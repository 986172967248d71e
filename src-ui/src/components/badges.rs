//! Status, priority and SLA badges: one colour per meaning, everywhere. Each is also a
//! plain function: a list row builds its badges without three components' bookkeeping
//! per row.

use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{PaymentStatus, Priority, State};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StateBadgeProps {
    pub state: State,
}

#[function_component]
pub fn StateBadge(props: &StateBadgeProps) -> Html {
    state_badge(props.state)
}

pub fn state_badge(state: State) -> Html {
    let class = format!("badge state-{}", state.as_str().to_lowercase());
    html! { <span class={class}>{ state.label() }</span> }
}

#[derive(Properties, PartialEq)]
pub struct PriorityBadgeProps {
    pub priority: Priority,
}

#[function_component]
pub fn PriorityBadge(props: &PriorityBadgeProps) -> Html {
    priority_badge(props.priority)
}

pub fn priority_badge(priority: Priority) -> Html {
    let class = format!("priority priority-{}", priority.as_str().to_lowercase());
    html! { <span class={class}><span class="dot"></span>{ priority.as_str() }</span> }
}

#[derive(Properties, PartialEq)]
pub struct SlaBadgeProps {
    pub sla: SlaStatus,
}

#[function_component]
pub fn SlaBadge(props: &SlaBadgeProps) -> Html {
    sla_badge(props.sla)
}

pub fn sla_badge(sla: SlaStatus) -> Html {
    let class = match sla {
        SlaStatus::OnTrack => "sla sla-ok",
        SlaStatus::AtRisk => "sla sla-risk",
        SlaStatus::Breached => "sla sla-breached",
        SlaStatus::Met => "sla sla-met",
        SlaStatus::NotApplicable => "sla sla-none",
    };
    html! { <span {class}>{ sla.label() }</span> }
}

#[derive(Properties, PartialEq)]
pub struct PaymentBadgeProps {
    pub status: PaymentStatus,
}

#[function_component]
pub fn PaymentBadge(props: &PaymentBadgeProps) -> Html {
    let class = format!("badge payment-{}", props.status.as_str().to_lowercase());
    html! { <span class={class} data-payment={props.status.as_str()}>{ props.status.label() }</span> }
}
