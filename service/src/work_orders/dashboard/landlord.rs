//! The landlord's dashboard: what waits on them or on a contractor, work under way,
//! each of their properties with what it cost this year, this month's and this year's
//! spend, and Recent Activity on their orders.

use super::{ACTIVITY_ITEMS, counted, refuse_unless, states, states_where, summed};
use crate::agency;
use crate::db::Sql;
use crate::error::Result;
use crate::periods::{local_month, local_year};
use crate::store::Store;
use crate::work_orders::activity::recent_activity;
use crate::work_orders::list::Amount;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{LandlordDashboard, PropertySummary, WorkOrderFilter};
use plumbline_domain::ids::PropertyId;
use plumbline_domain::{Actor, Role, State};

pub async fn landlord_dashboard(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<LandlordDashboard> {
    refuse_unless(actor, actor.role == Role::Landlord, "landlords")?;
    let calendar = agency::settings(store).await?.calendar;
    let (month, year) = (local_month(&calendar, now)?, local_year(&calendar, now)?);
    let counted = |label: &'static str, filter: WorkOrderFilter| counted(store, actor, now, label, filter);
    let completed_this_month = WorkOrderFilter { completed: Some(month), ..WorkOrderFilter::default() };
    let completed_this_year = WorkOrderFilter { completed: Some(year), ..WorkOrderFilter::default() };
    Ok(LandlordDashboard {
        awaiting_approval: counted("Awaiting my approval", states(vec![State::AwaitingApproval])).await?,
        // Open and not yet taken on by a contractor.
        awaiting_contractor: counted("Awaiting a contractor", states(vec![State::New, State::Assigned])).await?,
        in_progress: counted("In progress", states_where(State::is_under_way)).await?,
        properties: properties(store, actor, now, &completed_this_year).await?,
        spend_this_month: summed(store, actor, now, "Completed this month", completed_this_month, Amount::Invoice)
            .await?,
        spend_this_year: summed(store, actor, now, "Completed this year", completed_this_year, Amount::Invoice).await?,
        activity: recent_activity(store, actor, ACTIVITY_ITEMS).await?,
    })
}

#[derive(sqlx::FromRow)]
struct PropertyRecord {
    id: i64,
    name: String,
    street: String,
    city: String,
    postcode: String,
}

/// The landlord's properties by street, each with its open orders: work still to do,
/// as the list's "Open" counts them.
async fn properties(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    this_year: &WorkOrderFilter,
) -> Result<Vec<PropertySummary>> {
    let records: Vec<PropertyRecord> =
        Sql::new("SELECT id, name, street, city, postcode FROM properties WHERE landlord_id = ? ORDER BY street, id")
            .bind(actor.user_id.0)
            .fetch_all(store)
            .await?;
    let mut properties = Vec::with_capacity(records.len());
    for record in records {
        let id = PropertyId(record.id);
        let open = WorkOrderFilter { property_id: Some(id), ..states_where(State::is_unfinished) };
        let spent = WorkOrderFilter { property_id: Some(id), ..this_year.clone() };
        properties.push(PropertySummary {
            id,
            address: format!("{}, {} {}", record.street, record.city, record.postcode),
            name: record.name,
            open: counted(store, actor, now, "Open orders", open).await?,
            spend_this_year: summed(store, actor, now, "Spent this year", spent, Amount::Invoice).await?,
        });
    }
    Ok(properties)
}
