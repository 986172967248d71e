//! The change feed: every committed change (a submission, a step, attachments, a payout,
//! a message, a notification) is one row of `changes`, written in the change's own
//! transaction, so it is announced exactly when it commits and never otherwise. Readers
//! follow the feed with a cursor: [`since`] gives what `actor` may see after the last id
//! they had, filtered in SQL by the same rules as every other query; [`latest`] is where
//! a newly opened screen starts. `Store::subscribe` tells them when to read (see `feed`).
//!
//! Ids become visible in commit order, so "after id N" never misses a change that
//! commits later: on SQLite there is one writer at a time; on PostgreSQL each writer
//! takes the feed's advisory lock just before inserting its rows and holds it until its
//! commit (`Db::commit`).

pub(crate) mod feed;

use crate::db::{Db, Sql};
use crate::error::Result;
use crate::store::Store;
use crate::time::to_secs;
use crate::work_orders::access::push_visible_to;
use chrono::{DateTime, Utc};
use plumbline_domain::{Actor, Change, ChangeKind, ChangeSubject, Role, UserId, WorkOrderId};

/// A change announced inside a transaction, written when it commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NewChange {
    at: i64,
    kind: ChangeKind,
    subject: ChangeSubject,
}

impl NewChange {
    /// Something happened to `order` (its history, its thread).
    pub(crate) fn order(order: WorkOrderId, kind: ChangeKind, at: DateTime<Utc>) -> Self {
        Self { at: to_secs(at), kind, subject: ChangeSubject::Order { id: order } }
    }

    /// A message on `tenant`'s direct thread with the agency.
    pub(crate) fn direct_message(tenant: UserId, at: DateTime<Utc>) -> Self {
        Self { at: to_secs(at), kind: ChangeKind::DirectMessage, subject: ChangeSubject::DirectThread { tenant } }
    }

    /// A notification for `user`.
    pub(crate) fn notification(user: UserId, at: DateTime<Utc>) -> Self {
        Self { at: to_secs(at), kind: ChangeKind::Notification, subject: ChangeSubject::User { id: user } }
    }

    /// The row's (`work_order_id`, `user_id`): exactly one is set.
    fn columns(self) -> (Option<i64>, Option<i64>) {
        match self.subject {
            ChangeSubject::Order { id } => (Some(id.0), None),
            ChangeSubject::DirectThread { tenant: user } | ChangeSubject::User { id: user } => (None, Some(user.0)),
        }
    }
}

/// Writes the transaction's announced changes (`Db::commit` does, under the feed's lock).
pub(crate) async fn write(db: &mut Db, changes: &[NewChange]) -> Result<()> {
    for change in changes {
        let (order, user) = change.columns();
        Sql::new("INSERT INTO changes (at, kind, work_order_id, user_id) VALUES (?, ?, ?, ?)")
            .bind(change.at)
            .bind(change.kind.as_str())
            .bind(order)
            .bind(user)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ChangeRecord {
    id: i64,
    #[sqlx(try_from = "String")]
    kind: ChangeKind,
    work_order_id: Option<i64>,
    user_id: Option<i64>,
}

impl ChangeRecord {
    /// The change as the feed gives it; `None` for a row that breaks the table's checks.
    fn into_change(self) -> Option<Change> {
        let subject = match (self.kind, self.work_order_id, self.user_id) {
            (ChangeKind::DirectMessage, None, Some(tenant)) => ChangeSubject::DirectThread { tenant: UserId(tenant) },
            (ChangeKind::Notification, None, Some(user)) => ChangeSubject::User { id: UserId(user) },
            (
                ChangeKind::Submitted
                | ChangeKind::Step
                | ChangeKind::Attachments
                | ChangeKind::Payout
                | ChangeKind::Message
                | ChangeKind::InternalNote,
                Some(order),
                None,
            ) => ChangeSubject::Order { id: WorkOrderId(order) },
            _ => return None,
        };
        Some(Change { id: self.id, subject, kind: self.kind })
    }
}

/// The changes after `after` that `actor` may see, oldest first, at most `limit`. Each
/// kind is filtered in SQL by the rule its queries apply: an order's changes only for
/// who may see the order, internal notes only for the agency, payouts only for who may
/// see payments, a direct thread only for the agency and its tenant, a notification
/// only for its user.
pub async fn since(store: &Store, actor: Actor, after: i64, limit: i64) -> Result<Vec<Change>> {
    let mut query = Sql::new(
        "SELECT c.id, c.kind, c.work_order_id, c.user_id
         FROM changes c LEFT JOIN work_orders w ON w.id = c.work_order_id
         WHERE c.id > ",
    );
    query.push_bind(after).push(" AND (");
    push_order_changes_visible_to(&mut query, actor);
    query.push(" OR ");
    push_direct_changes_visible_to(&mut query, actor);
    query.push(" OR (c.kind = ").push_bind(ChangeKind::Notification.as_str());
    query.push(" AND c.user_id = ").push_bind(actor.user_id.0).push("))");
    query.push(" ORDER BY c.id LIMIT ").push_bind(limit);
    let rows: Vec<ChangeRecord> = query.fetch_all(store).await?;
    Ok(rows.into_iter().filter_map(ChangeRecord::into_change).collect())
}

/// Appends (parenthesised) which order changes `actor` may see: on orders they may see
/// (`push_visible_to`, as every work-order query), of the kinds their role may see.
fn push_order_changes_visible_to(query: &mut Sql, actor: Actor) {
    query.push("(w.id IS NOT NULL AND ");
    push_visible_to(query, actor);
    query.push(" AND c.kind IN (");
    query.push_bind_list(order_kinds_visible_to(actor.role).map(ChangeKind::as_str));
    query.push("))");
}

/// The kinds of an order's changes `role` may see (on the orders it may see). A
/// contractor sees only orders assigned to them, so a payout on one is theirs
/// (`Party::may_see_payment`: the agency and the assigned contractor).
fn order_kinds_visible_to(role: Role) -> impl Iterator<Item = ChangeKind> {
    ChangeKind::ALL.into_iter().filter(move |kind| match kind {
        ChangeKind::Submitted | ChangeKind::Step | ChangeKind::Attachments | ChangeKind::Message => true,
        ChangeKind::InternalNote => role.may_see_internal_notes(),
        ChangeKind::Payout => role.may_see_payments(),
        // Not an order's: these have no order (the table's checks hold it).
        ChangeKind::DirectMessage | ChangeKind::Notification => false,
    })
}

/// Appends (parenthesised) which direct threads' changes `actor` may see: every one for
/// the agency, a tenant's own for a tenant, none for anyone else.
fn push_direct_changes_visible_to(query: &mut Sql, actor: Actor) {
    query.push("(c.kind = ").push_bind(ChangeKind::DirectMessage.as_str());
    match actor.role {
        Role::Staff | Role::Admin => query.push(")"),
        Role::Tenant => query.push(" AND c.user_id = ").push_bind(actor.user_id.0).push(")"),
        Role::Landlord | Role::Contractor => query.push(" AND FALSE)"),
    };
}

/// The newest change's id (0 when there is none): where a reader that has seen nothing
/// yet starts, so it hears of what happens from now on.
pub async fn latest(store: &Store) -> Result<i64> {
    let (latest,): (Option<i64>,) = Sql::new("SELECT max(id) FROM changes").fetch_one(store).await?;
    Ok(latest.unwrap_or(0))
}
