//! The triage queue: new orders nobody has taken on yet, emergencies first, then the
//! soonest response due, each with the reason for its priority.

use super::row::{WorkOrderRecord, select_rows};
use crate::db::state_list;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::from_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{ContractorFilter, TriageItem, TriageQueue, WorkOrderFilter};
use plumbline_domain::{Actor, Severity, State, WorkOrderId};

use super::filter::{Purpose, push_conditions};
use super::list::count;
use super::repeats::earlier_faults_column;

/// More than a desk can triage at once; the rest follow as these are dealt with.
pub const QUEUE_LENGTH: i64 = 200;

/// What the queue holds, as a list filter (its count is the queue's total).
pub fn queue_filter() -> WorkOrderFilter {
    WorkOrderFilter {
        states: vec![State::New],
        contractor: Some(ContractorFilter::Unassigned),
        ..WorkOrderFilter::default()
    }
}

#[derive(sqlx::FromRow)]
struct TriageRecord {
    #[sqlx(flatten)]
    row: WorkOrderRecord,
    #[sqlx(try_from = "String")]
    severity: Severity,
    triage_reason: String,
    respond_due: i64,
    likely_duplicate_of: Option<i64>,
    earlier_faults: i64,
}

pub async fn triage_queue(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<TriageQueue> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("the triage queue is for agency staff".into()));
    }
    let filter = queue_filter();
    let columns = format!(
        ", w.severity, w.triage_reason, w.respond_by AS respond_due, {}, {}",
        likely_duplicate(),
        earlier_faults_column()
    );
    let mut query = select_rows(&columns);
    push_conditions(&mut query, actor, now, &filter, Purpose::Count);
    query.push(" ORDER BY w.priority_rank, w.respond_by, w.id LIMIT ").push_bind(QUEUE_LENGTH);
    let records: Vec<TriageRecord> = query.fetch_all(store).await?;
    let items = records.into_iter().map(|record| record.into_item(now)).collect();
    Ok(TriageQueue { items, total: count(store, actor, now, &filter).await? })
}

/// The oldest other open order on the same unit and sub-category, as a column.
fn likely_duplicate() -> String {
    let open = state_list(State::ALL.into_iter().filter(|s| s.is_unfinished()));
    format!(
        "(SELECT min(d.id) FROM work_orders d WHERE d.unit_id = w.unit_id AND d.subcategory_id = w.subcategory_id \
         AND d.id <> w.id AND d.state IN ({})) AS likely_duplicate_of",
        open
    )
}

impl TriageRecord {
    fn into_item(self, now: DateTime<Utc>) -> TriageItem {
        TriageItem {
            row: self.row.into_row(now),
            severity: self.severity,
            triage_reason: self.triage_reason,
            respond_by: from_secs(self.respond_due),
            likely_duplicate_of: self.likely_duplicate_of.map(WorkOrderId),
            earlier_faults: u32::try_from(self.earlier_faults).unwrap_or_default(),
        }
    }
}
