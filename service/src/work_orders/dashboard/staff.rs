//! The staff dashboard: workload, SLA alerts, open work by priority and state, today's
//! appointments and Recent Activity across the agency.

use super::tally::Tally;
use super::{ACTIVITY_ITEMS, appointments, refuse_unless, states, states_where, tallied};
use crate::agency;
use crate::error::Result;
use crate::periods::local_day;
use crate::store::Store;
use crate::work_orders::activity::recent_activity;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{ContractorFilter, StaffDashboard, WorkOrderFilter};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{Actor, Priority, State};

pub async fn staff_dashboard(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<StaffDashboard> {
    refuse_unless(actor, actor.role.is_agency(), "agency staff")?;
    let calendar = agency::settings(store).await?.calendar;
    let today = local_day(&calendar, now)?;
    // The 18 numbers by state and priority from one pass over an index, not 18 counts.
    let tally = Tally::of(store, actor).await?;
    let counted = |label: &'static str, filter: WorkOrderFilter| tallied(store, actor, now, &tally, label, filter);

    let scheduled_today = WorkOrderFilter { appointment: Some(today), ..states_where(State::has_kept_appointment) };
    let workload = vec![
        counted("Pending", states_where(State::is_pending)).await?,
        counted("In progress", states(vec![State::InProgress])).await?,
        counted("New", states(vec![State::New])).await?,
        counted("Awaiting approval", states(vec![State::AwaitingApproval])).await?,
        counted("Scheduled today", scheduled_today.clone()).await?,
    ];
    let alerts = vec![
        counted("SLA at risk", WorkOrderFilter { sla: Some(SlaStatus::AtRisk), ..states_where(State::is_unfinished) })
            .await?,
        counted(
            "SLA breached",
            WorkOrderFilter { sla: Some(SlaStatus::Breached), ..states_where(State::is_unfinished) },
        )
        .await?,
        counted("Unassigned emergencies", unassigned_emergencies()).await?,
    ];
    let mut by_priority = Vec::new();
    for priority in Priority::ALL {
        let filter = WorkOrderFilter { priority: Some(priority), ..states_where(State::is_unfinished) };
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

fn unassigned_emergencies() -> WorkOrderFilter {
    WorkOrderFilter {
        priority: Some(Priority::Emergency),
        contractor: Some(ContractorFilter::Unassigned),
        ..states(vec![State::New, State::AwaitingApproval])
    }
}
