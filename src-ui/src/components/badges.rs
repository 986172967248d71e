//! Status, priority, SLA and payment badges: one colour per meaning, everywhere. Plain
//! functions, not components: a list row builds its badges without three components'
//! bookkeeping per row, and the wasm carries no component code for them (#17).

use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{PaymentStatus, Priority, State};
use yew::prelude::*;

pub fn state_badge(state: State) -> Html {
    let class = format!("badge state-{}", state.as_str().to_lowercase());
    html! { <span class={class}>{ state.label() }</span> }
}

pub fn priority_badge(priority: Priority) -> Html {
    let class = format!("priority priority-{}", priority.as_str().to_lowercase());
    html! { <span class={class}><span class="dot"></span>{ priority.as_str() }</span> }
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

pub fn payment_badge(status: PaymentStatus) -> Html {
    let class = format!("badge payment-{}", status.as_str().to_lowercase());
    html! { <span class={class} data-payment={status.as_str()}>{ status.label() }</span> }
}
