//! The staff dashboard: each number is the count of a list filter, and carries that
//! filter, so clicking it opens exactly the orders it counted.

use super::activity::recent_activity;
use super::filter::{Purpose, push_conditions};
use super::list::count;
use super::row::{WorkOrderRecord, select_rows};
use crate::agency;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::from_secs;
use anyhow::anyhow;
use chrono::{DateTime, Days, NaiveTime, Utc};
use plumbline_domain::api::{
    AppointmentItem, ContractorFilter, DashboardCount, StaffDashboard, TimeRange, WorkOrderFilter,
};
use plumbline_domain::sla::{SlaStatus, WorkingCalendar};
use plumbline_domain::{Actor, Priority, State};

const ACTIVITY_ITEMS: u32 = 15;
const APPOINTMENT_ITEMS: i64 = 50;

/// Work still to be done on site: waiting to start, or started (not Completed, which
/// waits only for review).
fn unfinished_states() -> Vec<State> {
    State::ALL.into_iter().filter(|s| s.is_pending() || *s == State::InProgress).collect()
}

pub async fn staff_dashboard(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<StaffDashboard> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("the agency dashboard is for agency staff".into()));
    }
    let calendar = agency::settings(store).await?.calendar;
    let today = local_day(&calendar, now)?;
    let counted = |label: &'static str, filter: WorkOrderFilter| counted(store, actor, now, label, filter);

    let scheduled_today = WorkOrderFilter { appointment: Some(today), ..states(visited_states()) };
    let pending = State::ALL.into_iter().filter(|s| s.is_pending()).collect();
    let workload = vec![
        counted("Pending", states(pending)).await?,
        counted("In progress", states(vec![State::InProgress])).await?,
        counted("New", states(vec![State::New])).await?,
        counted("Awaiting approval", states(vec![State::AwaitingApproval])).await?,
        counted("Scheduled today", scheduled_today.clone()).await?,
    ];
    let alerts = vec![
        counted("SLA at risk", WorkOrderFilter { sla: Some(SlaStatus::AtRisk), ..states(unfinished_states()) }).await?,
        counted("SLA breached", WorkOrderFilter { sla: Some(SlaStatus::Breached), ..states(unfinished_states()) })
            .await?,
        counted("Unassigned emergencies", unassigned_emergencies()).await?,
    ];
    let mut by_priority = Vec::new();
    for priority in Priority::ALL {
        let filter = WorkOrderFilter { priority: Some(priority), ..states(unfinished_states()) };
        by_priority.push(counted(priority.as_str(), filter).await?);
    }
    let mut by_state = Vec::new();
    for state in State::ALL {
        by_state.push(counted(state.label(), states(vec![state])).await?);
    }
    Ok(StaffDashboard {
        workload,
        alerts,
        by_priority,
        by_state,
        todays_appointments: appointments(store, actor, now, &scheduled_today).await?,
        activity: recent_activity(store, actor, ACTIVITY_ITEMS).await?,
    })
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

fn states(states: Vec<State>) -> WorkOrderFilter {
    WorkOrderFilter { states, ..WorkOrderFilter::default() }
}

/// An appointment in these states was (or is being) kept, not called off.
fn visited_states() -> Vec<State> {
    State::ALL.into_iter().filter(|s| s.has_kept_appointment()).collect()
}

fn unassigned_emergencies() -> WorkOrderFilter {
    WorkOrderFilter {
        priority: Some(Priority::Emergency),
        contractor: Some(ContractorFilter::Unassigned),
        ..states(vec![State::New, State::AwaitingApproval])
    }
}

/// Today in the agency's time zone, as UTC instants.
fn local_day(calendar: &WorkingCalendar, now: DateTime<Utc>) -> Result<TimeRange> {
    let date = calendar.local_date(now);
    let next = date.checked_add_days(Days::new(1)).ok_or_else(|| anyhow!("no day after {date}"))?;
    Ok(TimeRange {
        from: calendar.to_utc(date.and_time(NaiveTime::MIN)),
        until: calendar.to_utc(next.and_time(NaiveTime::MIN)),
    })
}

#[derive(sqlx::FromRow)]
struct AppointmentRecord {
    #[sqlx(flatten)]
    row: WorkOrderRecord,
    appointment_start: i64,
    appointment_end: i64,
}

/// The orders "Scheduled today" counts, by start time.
async fn appointments(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    filter: &WorkOrderFilter,
) -> Result<Vec<AppointmentItem>> {
    let mut query = select_rows(", w.appointment_start, w.appointment_end");
    push_conditions(&mut query, actor, now, filter, Purpose::Page);
    query.push(" ORDER BY w.appointment_start, w.id LIMIT ").push_bind(APPOINTMENT_ITEMS);
    let records: Vec<AppointmentRecord> = query.build_query_as().fetch_all(store.pool()).await?;
    records.into_iter().map(|record| record.into_item(now)).collect()
}

impl AppointmentRecord {
    fn into_item(self, now: DateTime<Utc>) -> Result<AppointmentItem> {
        let row = self.row.into_row(now)?;
        Ok(AppointmentItem {
            id: row.id,
            reference: row.reference,
            start: from_secs(self.appointment_start),
            end: from_secs(self.appointment_end),
            property: row.property,
            unit: row.unit,
            subcategory: row.subcategory,
            contractor: row.contractor,
            state: row.state,
        })
    }
}
