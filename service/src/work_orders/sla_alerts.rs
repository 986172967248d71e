//! SLA alerts: when an unfinished order's SLA turns at risk or breached, staff and its
//! contractor are told, once per status. Any running desktop may look; the guarded
//! update makes sure only one of them sends each alert.

use super::filter::push_sla_condition;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::notifications;
use crate::store::Store;
use chrono::{DateTime, Utc};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{State, WorkOrderId};

/// At most this many alerts per look, so a long-closed laptop does not flood the bell.
const MAX_PER_LOOK: i64 = 200;

/// The statuses alerted, the worse last: a breach after an at-risk alert is alerted again.
const ALERTED: [(SlaStatus, &str, &str); 2] = [
    (SlaStatus::AtRisk, "AtRisk", "w.sla_alerted IS NULL"),
    (SlaStatus::Breached, "Breached", "(w.sla_alerted IS NULL OR w.sla_alerted = 'AtRisk')"),
];

/// Appends the condition (no leading AND) of an unfinished order whose SLA is `status`
/// and that has not been alerted at it yet.
fn push_due(query: &mut Sql, now: DateTime<Utc>, status: SlaStatus, not_yet: &str) {
    query.push("w.state IN (").push_state_list(State::ALL.into_iter().filter(|s| s.is_unfinished())).push(") AND ");
    push_sla_condition(query, status, now);
    query.push(format!(" AND {not_yet}"));
}

async fn due(store: &Store, now: DateTime<Utc>, status: SlaStatus, not_yet: &str) -> Result<Vec<i64>> {
    let mut query = Sql::new("SELECT w.id FROM work_orders w WHERE ");
    push_due(&mut query, now, status, not_yet);
    query.push(" ORDER BY w.id LIMIT ").push_bind(MAX_PER_LOOK);
    let rows: Vec<(i64,)> = query.fetch_all(store).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Marks the order alerted at `label`, unless another desktop just did; whether we did.
/// One guarded statement: the second of two desktops finds the row already claimed.
async fn claim(db: &mut Db, order: i64, label: &str, not_yet: &str) -> Result<bool> {
    let sql = format!("UPDATE work_orders AS w SET sla_alerted = ? WHERE w.id = ? AND {not_yet}");
    Ok(Sql::new(sql).bind(label).bind(order).execute(db).await? == 1)
}

/// Sends the alerts now due; returns how many orders were alerted.
pub async fn announce_sla(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let mut alerted = 0;
    for (status, label, not_yet) in ALERTED {
        for order in due(store, now, status, not_yet).await? {
            let mut tx = store.write().await?;
            if claim(&mut tx, order, label, not_yet).await? {
                notifications::tell_sla(&mut tx, WorkOrderId(order), status, now).await?;
                alerted += 1;
            }
            tx.commit().await?;
        }
    }
    Ok(alerted)
}

/// Records the present SLA statuses as already alerted, without telling anyone: a
/// generated agency's past is not news.
pub async fn settle_sla(db: &mut Db, now: DateTime<Utc>) -> Result<()> {
    for (status, label, not_yet) in ALERTED {
        let mut query = Sql::new("UPDATE work_orders AS w SET sla_alerted = ");
        query.push_bind(label).push(" WHERE ");
        push_due(&mut query, now, status, not_yet);
        query.execute(&mut *db).await?;
    }
    Ok(())
}
