//! A thread's messages in SQL: which thread a row is on, what a reader may see of it
//! (internal notes are cut in the query itself), how far they have read it.

use crate::changes::NewChange;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::api::Message;
use plumbline_domain::message::MessageBody;
use plumbline_domain::{Actor, ChangeKind, MessageId, Role, UserId, WorkOrderId};

/// Where a message is posted: an order's thread, or a tenant's direct thread with the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thread {
    Order(WorkOrderId),
    Direct { tenant: UserId },
}

impl Thread {
    /// The column of `messages` and `message_reads` naming this kind of thread.
    fn column(self) -> &'static str {
        match self {
            Thread::Order(_) => "work_order_id",
            Thread::Direct { .. } => "tenant_id",
        }
    }

    fn key(self) -> i64 {
        match self {
            Thread::Order(order) => order.0,
            Thread::Direct { tenant } => tenant.0,
        }
    }

    fn order(self) -> Option<i64> {
        match self {
            Thread::Order(order) => Some(order.0),
            Thread::Direct { .. } => None,
        }
    }

    fn tenant(self) -> Option<i64> {
        match self {
            Thread::Order(_) => None,
            Thread::Direct { tenant } => Some(tenant.0),
        }
    }
}

/// Appends (no leading AND) the thread's messages `m` that `reader` may receive: only
/// the agency is ever sent an internal note.
fn push_readable(query: &mut Sql, thread: Thread, reader: Actor) {
    query.push(format_args!("m.{} = ", thread.column())).push_bind(thread.key());
    if !reader.role.may_see_internal_notes() {
        query.push(" AND m.internal = FALSE");
    }
}

/// Appends (no leading AND) the messages of `push_readable` that `reader` has not read:
/// someone else's, above the last one they were shown.
fn push_unread(query: &mut Sql, thread: Thread, reader: Actor) {
    push_readable(query, thread, reader);
    query.push(" AND m.author_id <> ").push_bind(reader.user_id.0);
    query.push(format_args!(
        " AND m.id > coalesce((SELECT r.last_read_id FROM message_reads r WHERE r.{} = m.{} AND r.user_id = ",
        thread.column(),
        thread.column()
    ));
    query.push_bind(reader.user_id.0).push("), 0)");
}

const MESSAGE_COLUMNS: &str =
    "SELECT m.id, m.author_id, u.name AS author, u.role AS author_role, m.sent_at, m.body, m.internal
     FROM messages m JOIN users u ON u.id = m.author_id WHERE ";

/// The thread's messages `reader` may receive, oldest first.
pub async fn read(db: &mut Db, thread: Thread, reader: Actor) -> Result<Vec<Message>> {
    let mut query = Sql::new(MESSAGE_COLUMNS);
    push_readable(&mut query, thread, reader);
    query.push(" ORDER BY m.id");
    let rows: Vec<MessageRecord> = query.fetch_all(db).await?;
    Ok(rows.into_iter().map(|row| row.into_message(reader)).collect())
}

pub async fn unread_count(db: &mut Db, thread: Thread, reader: Actor) -> Result<i64> {
    let mut query = Sql::new("SELECT count(*) FROM messages m WHERE ");
    push_unread(&mut query, thread, reader);
    let (count,): (i64,) = query.fetch_one(db).await?;
    Ok(count)
}

/// Records that `reader` has been shown the thread up to `last`; never moves back.
pub async fn mark_read(db: &mut Db, thread: Thread, reader: Actor, last: MessageId, now: DateTime<Utc>) -> Result<()> {
    let column = thread.column();
    // The conflict target names the partial unique index of this kind of thread (both
    // engines need its WHERE to match a partial index).
    let sql = format!(
        "INSERT INTO message_reads (user_id, work_order_id, tenant_id, last_read_id, read_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id, {column}) WHERE {column} IS NOT NULL
         DO UPDATE SET last_read_id = CASE WHEN excluded.last_read_id > message_reads.last_read_id
                                           THEN excluded.last_read_id ELSE message_reads.last_read_id END,
                       read_at = excluded.read_at"
    );
    Sql::new(sql)
        .bind(reader.user_id.0)
        .bind(thread.order())
        .bind(thread.tenant())
        .bind(last.0)
        .bind(to_secs(now))
        .execute(db)
        .await?;
    Ok(())
}

pub async fn insert(
    db: &mut Db,
    thread: Thread,
    author: Actor,
    now: DateTime<Utc>,
    body: &MessageBody,
    internal: bool,
) -> Result<Message> {
    let (id,): (i64,) = Sql::new(
        "INSERT INTO messages (work_order_id, tenant_id, author_id, body, internal, sent_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(thread.order())
    .bind(thread.tenant())
    .bind(author.user_id.0)
    .bind(body.as_str())
    .bind(internal)
    .bind(to_secs(now))
    .fetch_one(&mut *db)
    .await?;
    db.announce(match thread {
        Thread::Order(order) if internal => NewChange::order(order, ChangeKind::InternalNote, now),
        Thread::Order(order) => NewChange::order(order, ChangeKind::Message, now),
        Thread::Direct { tenant } => NewChange::direct_message(tenant, now),
    });
    let mut query = Sql::new(MESSAGE_COLUMNS);
    query.push("m.id = ").push_bind(id);
    let row: MessageRecord = query.fetch_one(db).await?;
    Ok(row.into_message(author))
}

/// Appends the unread count of a tenant's direct thread, for the row `m` of the
/// agency's list (correlated on `m.tenant_id`).
pub fn push_direct_unread(query: &mut Sql, reader: Actor) {
    query.push("(SELECT count(*) FROM messages n WHERE n.tenant_id = m.tenant_id AND n.author_id <> ");
    query.push_bind(reader.user_id.0);
    query.push(
        " AND n.id > coalesce((SELECT r.last_read_id FROM message_reads r
             WHERE r.tenant_id = m.tenant_id AND r.user_id = ",
    );
    query.push_bind(reader.user_id.0).push("), 0))");
}

#[derive(sqlx::FromRow)]
struct MessageRecord {
    id: i64,
    author_id: i64,
    author: String,
    #[sqlx(try_from = "String")]
    author_role: Role,
    sent_at: i64,
    body: String,
    internal: bool,
}

impl MessageRecord {
    fn into_message(self, reader: Actor) -> Message {
        Message {
            id: MessageId(self.id),
            author_role: self.author_role,
            author: self.author,
            sent_at: from_secs(self.sent_at),
            body: self.body,
            internal: self.internal,
            own: UserId(self.author_id) == reader.user_id,
        }
    }
}
