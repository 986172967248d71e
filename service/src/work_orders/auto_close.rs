//! Closing completed orders nobody complained about within the agency's N days.

use crate::agency;
use crate::db::Sql;
use crate::error::Result;
use crate::history::{self, Event};
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::EventKind;
use plumbline_domain::lifecycle::transition;
use plumbline_domain::role::Party;
use plumbline_domain::{Action, State, WorkOrderId};

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    #[sqlx(try_from = "String")]
    state: State,
    version: i64,
}

/// Closes every order completed more than `auto_close_days` before `now`, as the
/// system, each with its event. Returns how many it closed.
pub async fn auto_close(store: &Store, now: DateTime<Utc>) -> Result<u64> {
    let mut tx = store.write().await?;
    let settings = agency::settings_in(&mut tx).await?;
    let cutoff = to_secs(now - Duration::days(settings.auto_close_days));
    // The graph decides; this only finds the candidates: orders in a state the system
    // may auto-close from.
    let closable = State::ALL.into_iter().filter(|s| transition(*s, Action::AutoClose, Party::System).is_ok());
    let mut query = Sql::new("SELECT id, state, version FROM work_orders WHERE state IN (");
    query.push_state_list(closable).push(") AND completed_at <= ").push_bind(cutoff);
    let due: Vec<Candidate> = query.fetch_all(&mut tx).await?;
    let note = format!("Closed automatically: no complaint within {} days of completion", settings.auto_close_days);
    let mut closed_count = 0;
    for order in &due {
        let closed = transition(order.state, Action::AutoClose, Party::System)?;
        // Guarded by the version read: on PostgreSQL another desk may have changed the
        // order meanwhile (it then stays as that desk left it).
        let changed = Sql::new(
            "UPDATE work_orders SET state = ?, closed_at = ?, updated_at = ?, version = version + 1
             WHERE id = ? AND version = ?",
        )
        .bind(closed.as_str())
        .bind(to_secs(now))
        .bind(to_secs(now))
        .bind(order.id)
        .bind(order.version)
        .execute(&mut tx)
        .await?;
        if changed != 1 {
            continue;
        }
        let event = Event {
            order: WorkOrderId(order.id),
            at: now,
            actor: None,
            kind: EventKind::Step(Action::AutoClose),
            from: Some(order.state),
            to: Some(closed),
            note: &note,
        };
        history::record(&mut tx, &event).await?;
        closed_count += 1;
    }
    tx.commit().await?;
    Ok(closed_count)
}
