//! Status, priority and SLA badges: one colour per meaning, everywhere.

use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{PaymentStatus, Priority, State};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StateBadgeProps {
    pub state: State,
}

#[function_component]
pub fn StateBadge(props: &StateBadgeProps) -> Html {
    let class = format!("badge state-{}", props.state.as_str().to_lowercase());
    html! { <span class={class}>{ props.state.label() }</span> }
}

#[derive(Properties, PartialEq)]
pub struct PriorityBadgeProps {
    pub priority: Priority,
}

#[function_component]
pub fn PriorityBadge(props: &PriorityBadgeProps) -> Html {
    let class = format!("priority priority-{}", props.priority.as_str().to_lowercase());
    html! { <span class={class}><span class="dot"></span>{ props.priority.as_str() }</span> }
}

#[derive(Properties, PartialEq)]
pub struct SlaBadgeProps {
    pub sla: SlaStatus,
}

#[function_component]
pub fn SlaBadge(props: &SlaBadgeProps) -> Html {
    let (class, label) = match props.sla {
        SlaStatus::OnTrack => ("sla sla-ok", "On track"),
        SlaStatus::AtRisk => ("sla sla-risk", "At risk"),
        SlaStatus::Breached => ("sla sla-breached", "Breached"),
        SlaStatus::Met => ("sla sla-met", "Met"),
        SlaStatus::NotApplicable => ("sla sla-none", "—"),
    };
    html! { <span class={class}>{ label }</span> }
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
