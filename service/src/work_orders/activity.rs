//! Recent Activity: the latest history events on the orders the viewer may see.

use super::access::push_visible_to;
use crate::db::Sql;
use crate::error::Result;
use crate::store::Store;
use crate::time::from_secs;
use plumbline_domain::EventKind;
use plumbline_domain::api::ActivityItem;
use plumbline_domain::{Actor, Reference, WorkOrderId};

#[derive(sqlx::FromRow)]
struct ActivityRecord {
    work_order_id: i64,
    at: i64,
    actor: Option<String>,
    #[sqlx(try_from = "String")]
    action: EventKind,
    note: String,
}

pub async fn recent_activity(store: &Store, actor: Actor, limit: u32) -> Result<Vec<ActivityItem>> {
    let mut query = Sql::new(
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
    let records: Vec<ActivityRecord> = query.fetch_all(store).await?;
    Ok(records
        .into_iter()
        .map(|r| {
            let id = WorkOrderId(r.work_order_id);
            ActivityItem {
                id,
                reference: Reference::of(id),
                at: from_secs(r.at),
                actor: r.actor.unwrap_or_else(|| "Plumbline".to_owned()),
                summary: summary(r.action, &r.note),
            }
        })
        .collect())
}

/// "New maintenance task: Boiler – Leak" for submissions (as LoftyWorks words it),
/// otherwise what happened and its note: "Mark completed: Replaced the trap",
/// "Payout recorded: BACS-0042 £85.50".
fn summary(kind: EventKind, note: &str) -> String {
    let label = match kind {
        EventKind::Submission => return note.split(" (").next().unwrap_or(note).to_owned(),
        EventKind::Step(_) | EventKind::Payout | EventKind::Attachments => kind.label(),
    };
    if note.is_empty() { label.to_owned() } else { format!("{label}: {note}") }
}
