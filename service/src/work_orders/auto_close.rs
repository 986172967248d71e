//! Closing completed orders nobody complained about within the agency's N days.

use super::history::{self, Event, EventKind};
use crate::agency;
use crate::error::Result;
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::lifecycle::transition;
use plumbline_domain::role::Party;
use plumbline_domain::{Action, State, WorkOrderId};

/// Closes every order completed more than `auto_close_days` before `now`, as the
/// system, each with its event. Returns how many it closed.
pub async fn auto_close(store: &Store, now: DateTime<Utc>) -> Result<u64> {
    let mut tx = store.pool().begin().await?;
    let settings = agency::settings_in(&mut tx).await?;
    // The graph decides; this only finds the candidates.
    let closed = transition(State::Completed, Action::AutoClose, Party::System)?;
    let cutoff = to_secs(now - Duration::days(settings.auto_close_days));
    let due: Vec<(i64,)> = sqlx::query_as("SELECT id FROM work_orders WHERE state = 'Completed' AND completed_at <= ?")
        .bind(cutoff)
        .fetch_all(&mut *tx)
        .await?;
    let note = format!("Closed automatically: no complaint within {} days of completion", settings.auto_close_days);
    for (id,) in &due {
        sqlx::query(
            "UPDATE work_orders SET state = ?, closed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(closed.as_str())
        .bind(to_secs(now))
        .bind(to_secs(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let event = Event {
            order: WorkOrderId(*id),
            at: now,
            actor: None,
            kind: EventKind::Step(Action::AutoClose),
            from: Some(State::Completed),
            to: Some(closed),
            note: &note,
        };
        history::record(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(due.len() as u64)
}
