//! SLA alerts: when an unfinished order's SLA turns at risk or breached, staff and its
//! contractor are told, once per status. Any running desktop may look; the guarded
//! update makes sure only one of them sends each alert.

use super::filter::sla_condition;
use crate::error::Result;
use crate::notifications;
use crate::store::Store;
use chrono::{DateTime, Utc};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{State, WorkOrderId};
use sqlx::SqliteConnection;

/// At most this many alerts per look, so a long-closed laptop does not flood the bell.
const MAX_PER_LOOK: i64 = 200;

/// The statuses alerted, the worse last: a breach after an at-risk alert is alerted again.
const ALERTED: [(SlaStatus, &str, &str); 2] = [
    (SlaStatus::AtRisk, "AtRisk", "w.sla_alerted IS NULL"),
    (SlaStatus::Breached, "Breached", "(w.sla_alerted IS NULL OR w.sla_alerted = 'AtRisk')"),
];

fn unfinished_states() -> String {
    State::ALL
        .into_iter()
        .filter(|s| s.is_pending() || *s == State::InProgress)
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn due(conn: &mut SqliteConnection, now: DateTime<Utc>, status: SlaStatus, not_yet: &str) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT w.id FROM work_orders w WHERE w.state IN ({}) AND {} AND {not_yet} ORDER BY w.id LIMIT {MAX_PER_LOOK}",
        unfinished_states(),
        sla_condition(status, now)
    );
    let rows: Vec<(i64,)> = sqlx::query_as(&sql).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Marks the order alerted at `label`, unless another desktop just did; whether we did.
async fn claim(conn: &mut SqliteConnection, order: i64, label: &str, not_yet: &str) -> Result<bool> {
    let sql = format!("UPDATE work_orders AS w SET sla_alerted = ? WHERE w.id = ? AND {not_yet}");
    Ok(sqlx::query(&sql).bind(label).bind(order).execute(conn).await?.rows_affected() == 1)
}

/// Sends the alerts now due; returns how many orders were alerted.
pub async fn announce_sla(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let mut alerted = 0;
    for (status, label, not_yet) in ALERTED {
        let mut conn = store.pool().acquire().await?;
        for order in due(&mut conn, now, status, not_yet).await? {
            let mut tx = store.pool().begin().await?;
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
pub async fn settle_sla(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<()> {
    for (status, label, not_yet) in ALERTED {
        let sql = format!(
            "UPDATE work_orders AS w SET sla_alerted = '{label}' WHERE w.state IN ({}) AND {} AND {not_yet}",
            unfinished_states(),
            sla_condition(status, now)
        );
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}
