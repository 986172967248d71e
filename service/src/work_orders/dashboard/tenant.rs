//! The tenant's dashboard: finished work waiting for their confirmation, requests
//! waiting for work to start, work under way, their latest requests and Recent Activity.

use super::{ACTIVITY_ITEMS, counted, refuse_unless, states, states_where};
use crate::error::Result;
use crate::store::Store;
use crate::work_orders::activity::recent_activity;
use crate::work_orders::list::list;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{DashboardCount, ListWorkOrders, TenantDashboard, WorkOrderFilter};
use plumbline_domain::{Actor, Role, State};

const RECENT_REQUESTS: u32 = 8;

pub async fn tenant_dashboard(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<TenantDashboard> {
    refuse_unless(actor, actor.role == Role::Tenant, "tenants")?;
    let everything = WorkOrderFilter::default();
    let latest =
        ListWorkOrders { filter: everything.clone(), sort: Default::default(), after: None, limit: RECENT_REQUESTS };
    let page = list(store, actor, now, &latest).await?;
    let completed =
        ListWorkOrders { filter: states(vec![State::Completed]), sort: Default::default(), after: None, limit: 20 };
    Ok(TenantDashboard {
        to_confirm: list(store, actor, now, &completed).await?.rows,
        pending: counted(store, actor, now, "Pending", states_where(State::is_pending)).await?,
        in_progress: counted(store, actor, now, "In progress", states(vec![State::InProgress])).await?,
        requests: page.rows,
        // The first page counts every match: the same number the list shows.
        all_requests: DashboardCount {
            label: "My requests".into(),
            count: page.total.unwrap_or_default(),
            filter: everything,
        },
        activity: recent_activity(store, actor, ACTIVITY_ITEMS).await?,
    })
}
