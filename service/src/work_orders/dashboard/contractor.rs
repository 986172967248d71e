//! The contractor's dashboard: new orders to accept, jobs under way, this month's
//! earnings, what is still owed, jobs completed this month, their appointments and
//! Recent Activity on their orders.

use super::{ACTIVITY_ITEMS, appointments, counted, refuse_unless, states, states_where, summed};
use crate::agency;
use crate::error::Result;
use crate::periods::local_month;
use crate::store::Store;
use crate::work_orders::activity::recent_activity;
use crate::work_orders::list::Amount;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{ContractorDashboard, WorkOrderFilter};
use plumbline_domain::{Actor, PaymentStatus, Role, State};

pub async fn contractor_dashboard(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<ContractorDashboard> {
    refuse_unless(actor, actor.role == Role::Contractor, "contractors")?;
    let month = local_month(&agency::settings(store).await?.calendar, now)?;
    let paid_this_month = WorkOrderFilter { paid: Some(month), ..WorkOrderFilter::default() };
    let unpaid = WorkOrderFilter { payment: PaymentStatus::UNPAID.to_vec(), ..WorkOrderFilter::default() };
    let completed_this_month = WorkOrderFilter { completed: Some(month), ..WorkOrderFilter::default() };
    Ok(ContractorDashboard {
        new_orders: counted(store, actor, now, "New orders", states(vec![State::Assigned])).await?,
        in_progress: counted(store, actor, now, "In progress", states_where(State::is_under_way)).await?,
        earnings_this_month: summed(store, actor, now, "Paid this month", paid_this_month, Amount::Payout).await?,
        pending_payments: summed(store, actor, now, "Pending payments", unpaid, Amount::Invoice).await?,
        completed_this_month: counted(store, actor, now, "Jobs completed this month", completed_this_month).await?,
        // Every visit still to make, soonest first: a missed one stays until it is started.
        appointments: appointments(store, actor, now, &states(vec![State::Scheduled])).await?,
        activity: recent_activity(store, actor, ACTIVITY_ITEMS).await?,
    })
}
