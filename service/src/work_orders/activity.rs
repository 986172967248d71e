//! Recent Activity: the latest history events on the orders the viewer may see.

use super::access::push_visible_to;
use super::history::EventKind;
use crate::error::Result;
use crate::store::Store;
use crate::time::from_secs;
use plumbline_domain::api::ActivityItem;
use plumbline_domain::{Actor, Reference, WorkOrderId};
use sqlx::{QueryBuilder, Sqlite};

#[derive(sqlx::FromRow)]
struct ActivityRecord {
    work_order_id: i64,
    at: i64,
    actor: Option<String>,
    action: String,
    note: String,
}

pub async fn recent_activity(store: &Store, actor: Actor, limit: u32) -> Result<Vec<ActivityItem>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT e.work_order_id, e.at, u.name AS actor, e.action, e.note
         FROM work_order_events e
         JOIN work_orders w ON w.id = e.work_order_id
         LEFT JOIN users u ON u.id = e.actor_id
         WHERE ",
    );
    push_visible_to(&mut query, actor);
    // A payout is between the agency and the contractor, even on an order others see.
    if !actor.role.may_see_payments() {
        query.push(" AND e.action <> ").push_bind(EventKind::Payout.as_str());
    }
    query.push(" ORDER BY e.at DESC, e.id DESC LIMIT ").push_bind(i64::from(limit.min(200)));
    let records: Vec<ActivityRecord> = query.build_query_as().fetch_all(store.pool()).await?;
    Ok(records
        .into_iter()
        .map(|r| {
            let id = WorkOrderId(r.work_order_id);
            ActivityItem {
                id,
                reference: Reference::of(id),
                at: from_secs(r.at),
                actor: r.actor.unwrap_or_else(|| "Plumbline".to_owned()),
                summary: summary(&r.action, &r.note),
            }
        })
        .collect())
}

/// "New maintenance task: Boiler – Leak" for submissions (as LoftyWorks words it),
/// otherwise what happened and its note: "Mark completed: Replaced the trap",
/// "Payout recorded: BACS-0042 £85.50".
fn summary(action: &str, note: &str) -> String {
    let label = match EventKind::parse(action) {
        Some(EventKind::Submission) | None => return note.split(" (").next().unwrap_or(note).to_owned(),
        Some(kind @ (EventKind::Step(_) | EventKind::Payout | EventKind::Attachments)) => kind.label(),
    };
    if note.is_empty() { label.to_owned() } else { format!("{label}: {note}") }
}
