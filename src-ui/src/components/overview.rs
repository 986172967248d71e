//! What every role's dashboard is made of: count tiles and money tiles that open the
//! orders they count, the Recent Activity list, and loading the dashboard as it changes.

use crate::components::badges::state_badge;
use crate::components::status::{error_banner, loading};
use crate::format;
use crate::live::use_load;
use plumbline_domain::api::{
    ActivityItem, AppointmentItem, ChangeSubject, DashboardAmount, DashboardCount, WorkOrderFilter,
};
use plumbline_domain::{Command, WorkOrderId};
use yew::prelude::*;

pub use crate::live::Loaded;

/// Loads the page's dashboard when it opens, and again, in place, whenever any order
/// it may count changes (from any desktop).
#[hook]
pub fn use_dashboard<C>(command: C) -> Loaded<C::Answer>
where
    C: Command + Clone + PartialEq + 'static,
{
    use_load(command, C::clone, |change| matches!(change.subject, ChangeSubject::Order { .. })).loaded
}

/// The frame every dashboard shares: its title and subtitle (with an optional button
/// beside them), then loading, the backend's refusal, or `view` of the numbers.
pub fn dashboard_page<T>(subtitle: &str, button: Html, loaded: &Loaded<T>, view: impl FnOnce(&T) -> Html) -> Html {
    html! {
        <section class="page dashboard">
            <header class="page-head">
                <div>
                    <h1>{ "Dashboard" }</h1>
                    <p class="subtitle">{ subtitle.to_owned() }</p>
                </div>
                { button }
            </header>
            { match &**loaded {
                None => loading(),
                Some(Err(err)) => error_banner(err),
                Some(Ok(board)) => view(board),
            } }
        </section>
    }
}

/// The lower half of a role's dashboard: a card of its own (`own`, already headed), and
/// Recent Activity beside it.
pub fn beside_activity(own: Html, items: &[ActivityItem], on_open: &Callback<WorkOrderId>) -> Html {
    html! {
        <div class="dashboard-grid">
            <div class="dash-col">
                <div class="card">{ own }</div>
            </div>
            <div class="dash-col">
                <div class="card">
                    <h2>{ "Recent activity" }</h2>
                    { activity(items, on_open) }
                </div>
            </div>
        </div>
    }
}

/// A count that opens its list. `tone`: "" plain, "attention" waits on the viewer,
/// "alert" something is wrong, "calm" nothing is.
pub fn tile(count: &DashboardCount, tone: &'static str, on_show: &Callback<WorkOrderFilter>) -> Html {
    let filter = count.filter.clone();
    let onclick = on_show.reform(move |_: MouseEvent| filter.clone());
    html! {
        <button class={classes!("tile", tone)} data-count={count.label.clone()} {onclick}>
            <span class="tile-count">{ format::thousands(count.count) }</span>
            <span class="tile-label">{ &count.label }</span>
        </button>
    }
}

/// "Needs you" when there is something, plain when there is nothing.
pub fn attention_if_any(count: &DashboardCount) -> &'static str {
    if count.count > 0 { "attention" } else { "" }
}

/// A sum of money that opens the orders it adds up: the amount, what it is, and
/// `orders` saying how many ("3 jobs completed").
/// A sum of money over some orders: `orders` names one of them and many ("job paid",
/// "jobs paid") for the count beneath it.
pub fn amount_tile(
    amount: &DashboardAmount,
    label: &str,
    orders: (&str, &str),
    on_show: &Callback<WorkOrderFilter>,
) -> Html {
    let filter = amount.count.filter.clone();
    let onclick = on_show.reform(move |_: MouseEvent| filter.clone());
    html! {
        <button class="tile amount" data-count={amount.count.label.clone()} data-amount={amount.total_minor.minor_units().to_string()} {onclick}>
            <span class="tile-count">{ crate::format::money(amount.total_minor) }</span>
            <span class="tile-label">{ label.to_owned() }</span>
            <span class="tile-note">{ format!("{} {}", format::thousands(amount.count.count), if amount.count.count == 1 { orders.0 } else { orders.1 }) }</span>
        </button>
    }
}

pub fn activity(items: &[ActivityItem], on_open: &Callback<WorkOrderId>) -> Html {
    if items.is_empty() {
        return html! { <p class="muted">{ "Nothing has happened yet." }</p> };
    }
    html! {
        <ul class="activity" data-testid="activity">
            { for items.iter().map(|item| {
                let id = item.id;
                html! {
                    <li>
                        <button class="row-link" onclick={on_open.reform(move |_: MouseEvent| id)}>
                            <span class="what">
                                <span class="primary">{ &item.summary }</span>
                                <span class="secondary">{ format!("{} ago", format::age(item.at)) }</span>
                            </span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Which visits a list shows, and so what each row needs to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visits {
    /// Staff's "today": no day needed, but whose visit it is.
    TodayForStaff,
    /// A contractor's own, soonest first: they are not all today.
    Upcoming,
}

/// Appointments as rows that open their order.
pub fn appointments(items: &[AppointmentItem], visits: Visits, on_open: &Callback<WorkOrderId>) -> Html {
    if items.is_empty() {
        let none = match visits {
            Visits::TodayForStaff => "No appointments today.",
            Visits::Upcoming => "No visits booked.",
        };
        return html! { <p class="muted">{ none }</p> };
    }
    html! {
        <ul class="appointments" data-testid="appointments">
            { for items.iter().map(|item| appointment(item, visits, on_open)) }
        </ul>
    }
}

fn appointment(item: &AppointmentItem, visits: Visits, on_open: &Callback<WorkOrderId>) -> Html {
    let id = item.id;
    let hours = format!("{}–{}", format::local_time(item.start), format::local_time(item.end));
    let (when, place) = match visits {
        Visits::TodayForStaff => {
            let contractor = item.contractor.clone().unwrap_or_else(|| "no contractor".into());
            (html! { <span class="when">{ hours }</span> }, format!("{}, {} · {contractor}", item.property, item.unit))
        }
        Visits::Upcoming => (
            html! {
                <span class="when day">
                    <span>{ format::local_date(item.start) }</span>
                    <span class="secondary">{ hours }</span>
                </span>
            },
            format!("{}, {}", item.property, item.unit),
        ),
    };
    html! {
        <li>
            <button class="row-link" onclick={on_open.reform(move |_: MouseEvent| id)}>
                { when }
                <span class="what">
                    <span class="primary">{ format!("{} · {}", item.reference, item.subcategory) }</span>
                    <span class="secondary">{ place }</span>
                </span>
                { state_badge(item.state) }
            </button>
        </li>
    }
}
