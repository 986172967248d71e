//! Recent Activity: the latest history events on the orders the viewer may see.

use super::access::push_visible_to;
use crate::db::Sql;
use crate::error::Result;
use crate::history;
use crate::store::Store;
use crate::time::from_secs;
use plumbline_domain::EventKind;
use plumbline_domain::api::ActivityItem;
use plumbline_domain::role::Party;
use plumbline_domain::{Action, Actor, Reference, Role, WorkOrderId};

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
    let mut query = Sql::new(format!(
        "SELECT e.work_order_id, e.at, u.name AS actor, e.action, {} AS note
         FROM work_order_events e
         JOIN work_orders w ON w.id = e.work_order_id
         LEFT JOIN users u ON u.id = e.actor_id
         WHERE ",
        history::note_read_by(party_on_visible_orders(actor.role))
    ));
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
            let actor = r.actor.unwrap_or_else(|| "Plumbline".to_owned());
            ActivityItem {
                id,
                reference: Reference::of(id),
                at: from_secs(r.at),
                summary: summary(&actor, r.action, Reference::of(id), &r.note),
                actor,
            }
        })
        .collect())
}

/// What a role is to every order it sees (`push_visible_to`): a landlord sees only their
/// own properties' orders, a contractor only those assigned to them, a tenant only theirs.
fn party_on_visible_orders(role: Role) -> Party {
    match role {
        Role::Staff | Role::Admin => Party::Agency,
        Role::Landlord => Party::OwningLandlord,
        Role::Contractor => Party::AssignedContractor,
        Role::Tenant => Party::RequestingTenant,
    }
}

/// Who did what to which order, then its note: "Priya Shah assigned Jones Plumbing to
/// PL-000316", "Kofi Jones completed PL-000321: Replaced the trap (invoice £85.50)",
/// "Noah Williams raised PL-000321: Plumbing – Taps".
fn summary(actor: &str, kind: EventKind, reference: Reference, note: &str) -> String {
    let note = match kind {
        // "New maintenance task: Plumbing – Taps (raised by staff)": just what it is.
        EventKind::Submission => {
            let what = note.strip_prefix("New maintenance task: ").unwrap_or(note);
            what.split(" (").next().unwrap_or(what)
        }
        EventKind::Step(Action::Assign | Action::Reassign) => {
            if let Some(company) = note.strip_prefix("Assigned to ").or_else(|| note.strip_prefix("Reassigned to ")) {
                return format!("{actor} {} {company} to {reference}", kind.done_to());
            }
            note
        }
        EventKind::Step(_) | EventKind::Payout | EventKind::Attachments | EventKind::Escalation => note,
    };
    let done = format!("{actor} {} {reference}", kind.done_to());
    if note.is_empty() { done } else { format!("{done}: {note}") }
}
