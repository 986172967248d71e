//! Each role's dashboard. Every number is the count of a list filter and carries that
//! filter, so clicking it opens exactly the orders it counted; every amount is summed
//! over the orders of its count.

mod contractor;
mod landlord;
mod staff;
pub mod tally;
mod tenant;

pub use contractor::contractor_dashboard;
pub use landlord::landlord_dashboard;
pub use staff::staff_dashboard;
pub use tenant::tenant_dashboard;

use super::filter::{Purpose, push_conditions};
use super::list::{Amount, count, total};
use super::row::{WorkOrderRecord, select_rows};
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::from_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{AppointmentItem, DashboardAmount, DashboardCount, WorkOrderFilter};
use plumbline_domain::{Actor, State};

const ACTIVITY_ITEMS: u32 = 15;
const APPOINTMENT_ITEMS: i64 = 50;

/// Each dashboard is for one kind of user; the others are refused, whatever they ask.
fn refuse_unless(actor: Actor, allowed: bool, who: &str) -> Result<()> {
    match allowed {
        true => Ok(()),
        false => Err(ServiceError::NotAllowed(format!("this dashboard is for {who}, not a {}", actor.role.as_str()))),
    }
}

async fn counted(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    label: &str,
    filter: WorkOrderFilter,
) -> Result<DashboardCount> {
    let count = count(store, actor, now, &filter).await?;
    Ok(DashboardCount { label: label.to_owned(), count, filter })
}

/// As [`counted`], from `tally` when it holds the answer.
async fn tallied(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    tally: &tally::Tally,
    label: &str,
    filter: WorkOrderFilter,
) -> Result<DashboardCount> {
    match tally.count(&filter) {
        Some(count) => Ok(DashboardCount { label: label.to_owned(), count, filter }),
        None => counted(store, actor, now, label, filter).await,
    }
}

async fn summed(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    label: &str,
    filter: WorkOrderFilter,
    amount: Amount,
) -> Result<DashboardAmount> {
    let (count, total_minor) = total(store, actor, now, &filter, amount).await?;
    Ok(DashboardAmount { count: DashboardCount { label: label.to_owned(), count, filter }, total_minor })
}

fn states(states: Vec<State>) -> WorkOrderFilter {
    WorkOrderFilter { states, ..WorkOrderFilter::default() }
}

fn states_where(keep: fn(State) -> bool) -> WorkOrderFilter {
    states(State::ALL.into_iter().filter(|state| keep(*state)).collect())
}

#[derive(sqlx::FromRow)]
struct AppointmentRecord {
    #[sqlx(flatten)]
    row: WorkOrderRecord,
    appointment_start: i64,
    appointment_end: i64,
}

/// The orders `filter` lists that have an appointment, by start time.
async fn appointments(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    filter: &WorkOrderFilter,
) -> Result<Vec<AppointmentItem>> {
    let mut query = select_rows(", w.appointment_start, w.appointment_end");
    push_conditions(&mut query, actor, now, filter, Purpose::Page);
    query.push(" AND w.appointment_start IS NOT NULL");
    query.push(" ORDER BY w.appointment_start, w.id LIMIT ").push_bind(APPOINTMENT_ITEMS);
    let records: Vec<AppointmentRecord> = query.fetch_all(store).await?;
    Ok(records.into_iter().map(|record| record.into_item(now)).collect())
}

impl AppointmentRecord {
    fn into_item(self, now: DateTime<Utc>) -> AppointmentItem {
        let row = self.row.into_row(now);
        AppointmentItem {
            id: row.id,
            reference: row.reference,
            start: from_secs(self.appointment_start),
            end: from_secs(self.appointment_end),
            property: row.property,
            unit: row.unit,
            subcategory: row.subcategory,
            contractor: row.contractor,
            state: row.state,
        }
    }
}
