//! A thread's messages in SQL: which thread a row is on, what a reader may see of it
//! (internal notes are cut in the query itself), how far they have read it.

use crate::changes::NewChange;
use crate::db::{Db, Engine, Sql};
use crate::error::{Result, ServiceError};
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{Message, THREAD_PAGE};
use plumbline_domain::limits::{self, MESSAGES_PER_MINUTE};
use plumbline_domain::message::{self, MessageBody};
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

/// The start of a query for messages `m` as `reader` receives them (ending in `WHERE `):
/// a retracted message's body is left out in the query for everyone but the agency,
/// which keeps the original in its history.
fn select_messages(reader: Actor) -> Sql {
    let body = if reader.role.may_see_internal_notes() {
        "m.body"
    } else {
        "CASE WHEN m.retracted_at IS NULL THEN m.body ELSE '' END"
    };
    Sql::new(format!(
        "SELECT m.id, m.author_id, u.name AS author, u.role AS author_role, m.sent_at, {body} AS body, m.internal,
                m.retracted_at
         FROM messages m JOIN users u ON u.id = m.author_id WHERE "
    ))
}

/// A page of the thread's messages `reader` may receive: the newest `THREAD_PAGE` before
/// `before` (all of them if `None`), oldest first, and the cursor of the page before it
/// if there is one. Read backwards along the thread's index (`messages_by_order`,
/// `messages_by_tenant`), so a page costs the same however long the thread.
pub async fn read(
    db: &mut Db,
    thread: Thread,
    reader: Actor,
    now: DateTime<Utc>,
    before: Option<MessageId>,
) -> Result<(Vec<Message>, Option<MessageId>)> {
    let mut query = select_messages(reader);
    push_readable(&mut query, thread, reader);
    if let Some(before) = before {
        query.push(" AND m.id < ").push_bind(before.0);
    }
    // One more than a page: whether there is an earlier one.
    let limit = i64::try_from(THREAD_PAGE).unwrap_or(i64::MAX).saturating_add(1);
    query.push(" ORDER BY m.id DESC LIMIT ").push_bind(limit);
    let mut rows: Vec<MessageRecord> = query.fetch_all(db).await?;
    let more = rows.len() > THREAD_PAGE;
    rows.truncate(THREAD_PAGE);
    rows.reverse();
    let earlier = rows.first().filter(|_| more).map(|row| MessageId(row.id));
    Ok((rows.into_iter().map(|row| row.into_message(reader, now)).collect(), earlier))
}

/// One message as `reader` receives it.
pub async fn one(db: &mut Db, id: MessageId, reader: Actor, now: DateTime<Utc>) -> Result<Message> {
    let mut query = select_messages(reader);
    query.push("m.id = ").push_bind(id.0);
    let row: MessageRecord = query.fetch_one(db).await?;
    Ok(row.into_message(reader, now))
}

/// Tells the feed the thread changed (a message posted or retracted): an internal note
/// only the agency hears of.
pub fn announce(db: &mut Db, thread: Thread, internal: bool, now: DateTime<Utc>) {
    db.announce(match thread {
        Thread::Order(order) if internal => NewChange::order(order, ChangeKind::InternalNote, now),
        Thread::Order(order) => NewChange::order(order, ChangeKind::Message, now),
        Thread::Direct { tenant } => NewChange::direct_message(tenant, now),
    });
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
    refuse_too_many(db, author, now).await?;
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
    announce(db, thread, internal, now);
    one(db, MessageId(id), author, now).await
}

/// Refuses a message beyond `MESSAGES_PER_MINUTE` from `author` (all threads, counted
/// from the stored rows). On PostgreSQL the author's row is held until commit first, so
/// concurrent posts by one person count one after another; SQLite has one writer.
async fn refuse_too_many(db: &mut Db, author: Actor, now: DateTime<Utc>) -> Result<()> {
    if db.engine() == Engine::Postgres {
        // NO KEY UPDATE: other rows' foreign keys to this user do not wait on it.
        Sql::new("SELECT id FROM users WHERE id = ? FOR NO KEY UPDATE")
            .bind(author.user_id.0)
            .execute(&mut *db)
            .await?;
    }
    let (sent,): (i64,) =
        Sql::new("SELECT count(*) FROM messages WHERE author_id = ? AND sent_at > ? AND sent_at <= ?")
            .bind(author.user_id.0)
            .bind(to_secs(now) - 60)
            .bind(to_secs(now))
            .fetch_one(&mut *db)
            .await?;
    if limits::allows_another_message(sent) {
        return Ok(());
    }
    Err(ServiceError::NotAllowed(format!(
        "you have sent {MESSAGES_PER_MINUTE} messages in the last minute, the most one can; wait a moment and send it again"
    )))
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
    retracted_at: Option<i64>,
}

impl MessageRecord {
    fn into_message(self, reader: Actor, now: DateTime<Utc>) -> Message {
        let sent_at = from_secs(self.sent_at);
        let own = UserId(self.author_id) == reader.user_id;
        let retractable = own && self.retracted_at.is_none() && message::may_retract(sent_at, now);
        Message {
            id: MessageId(self.id),
            author_role: self.author_role,
            author: self.author,
            sent_at,
            body: self.body,
            internal: self.internal,
            own,
            retracted_at: self.retracted_at.map(from_secs),
            retractable_until: retractable.then(|| message::retractable_until(sent_at)),
        }
    }
}
