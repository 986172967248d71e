//! Messages: each order's thread among its parties (with the agency's internal notes,
//! which only staff and admins are ever sent), and each tenant's direct thread with the
//! agency. Opening a thread marks it read for its reader; unread counts are per reader.

mod thread;

use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::work_orders::access::party_to_order;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{DirectThread, Field, Message, MessageThread, PostDirectMessage, PostMessage};
use plumbline_domain::message::{self, MessageBody, RETRACT_WINDOW_MINUTES};
use plumbline_domain::{Actor, MessageId, Role, UserId, WorkOrderId};
use thread::Thread;

/// A page of the order's thread as `actor` may read it (the newest, marked read for
/// them, or the one before `before`).
pub async fn list(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    order: WorkOrderId,
    before: Option<MessageId>,
) -> Result<MessageThread> {
    let mut tx = store.write().await?;
    party_to_order(&mut tx, actor, order).await?;
    let opened = open(&mut tx, Thread::Order(order), actor, now, before).await?;
    tx.commit().await?;
    Ok(opened)
}

/// Posts on the order's thread. Any of its parties may; only the agency may mark a
/// message internal.
pub async fn post(store: &Store, actor: Actor, now: DateTime<Utc>, request: &PostMessage) -> Result<Message> {
    let mut tx = store.write().await?;
    party_to_order(&mut tx, actor, request.id).await?;
    if request.internal && !actor.role.may_see_internal_notes() {
        return Err(ServiceError::NotAllowed("only agency staff may write internal notes".into()));
    }
    let body = parse_body(&request.body)?;
    let message = thread::insert(&mut tx, Thread::Order(request.id), actor, now, &body, request.internal).await?;
    tx.commit().await?;
    Ok(message)
}

/// What retracting a message checks of it.
#[derive(sqlx::FromRow)]
struct Posted {
    work_order_id: Option<i64>,
    tenant_id: Option<i64>,
    author_id: i64,
    internal: bool,
    sent_at: i64,
    retracted_at: Option<i64>,
}

/// Retracts `actor`'s own message within `RETRACT_WINDOW_MINUTES` of sending. The row
/// and its body stay (the agency reads the original in its history); everyone else is
/// from now on sent no body. A message the actor may not read is not found; someone
/// else's, an old one or one already retracted is refused; a refusal changes nothing.
pub async fn retract(store: &Store, actor: Actor, now: DateTime<Utc>, id: MessageId) -> Result<Message> {
    let mut tx = store.write().await?;
    let not_found = || ServiceError::not_found("The message");
    let found: Option<Posted> = Sql::new(
        "SELECT work_order_id, tenant_id, author_id, internal, sent_at, retracted_at FROM messages WHERE id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut tx)
    .await?;
    let Posted { work_order_id: order, tenant_id: tenant, author_id: author, internal, sent_at, retracted_at } =
        found.ok_or_else(not_found)?;
    // The thread as the actor may use it now (a reassigned-away contractor, a stranger: not found).
    let thread = match (order, tenant) {
        (Some(order), None) => {
            party_to_order(&mut tx, actor, WorkOrderId(order)).await?;
            Thread::Order(WorkOrderId(order))
        }
        (None, Some(tenant)) => direct_thread(&mut tx, actor, Some(UserId(tenant))).await?,
        (Some(_), Some(_)) | (None, None) => return Err(not_found()),
    };
    if internal && !actor.role.may_see_internal_notes() {
        return Err(not_found());
    }
    if UserId(author) != actor.user_id {
        return Err(ServiceError::NotAllowed("only its author may retract a message".into()));
    }
    if retracted_at.is_some() {
        return Err(ServiceError::NotAllowed("this message has already been retracted".into()));
    }
    if !message::may_retract(from_secs(sent_at), now) {
        return Err(ServiceError::NotAllowed(format!(
            "a message can be retracted only in the {RETRACT_WINDOW_MINUTES} minutes after it is sent"
        )));
    }
    // Guarded: of two racing retractions one changes the row, the other is refused.
    let changed = Sql::new("UPDATE messages SET retracted_at = ? WHERE id = ? AND retracted_at IS NULL")
        .bind(to_secs(now))
        .bind(id.0)
        .execute(&mut tx)
        .await?;
    if changed != 1 {
        return Err(ServiceError::NotAllowed("this message has already been retracted".into()));
    }
    thread::announce(&mut tx, thread, internal, now);
    let retracted = thread::one(&mut tx, id, actor, now).await?;
    tx.commit().await?;
    Ok(retracted)
}

/// The tenants' direct threads, latest message first: every one for the agency, a
/// tenant's own (if they have written) for a tenant.
pub async fn direct_threads(store: &Store, actor: Actor) -> Result<Vec<DirectThread>> {
    refuse_without_direct_messages(actor)?;
    let mut query = Sql::new(
        "SELECT m.tenant_id, u.name, m.sent_at,
                CASE WHEN m.retracted_at IS NULL THEN substr(m.body, 1, 120) ELSE 'Message retracted' END, ",
    );
    thread::push_direct_unread(&mut query, actor);
    query.push(
        " FROM messages m JOIN users u ON u.id = m.tenant_id
         WHERE m.id IN (SELECT max(id) FROM messages WHERE tenant_id IS NOT NULL GROUP BY tenant_id)",
    );
    if actor.role == Role::Tenant {
        query.push(" AND m.tenant_id = ").push_bind(actor.user_id.0);
    }
    query.push(" ORDER BY m.id DESC");
    let rows: Vec<(i64, String, i64, String, i64)> = query.fetch_all(store).await?;
    Ok(rows
        .into_iter()
        .map(|(tenant, tenant_name, sent_at, last_body, unread)| DirectThread {
            tenant: UserId(tenant),
            tenant_name,
            last_sent_at: from_secs(sent_at),
            last_body,
            unread,
        })
        .collect())
}

/// A page of a tenant's direct thread (paged as [`list`]): a tenant reads their own
/// (`tenant` empty or themselves), the agency any tenant's.
pub async fn direct_messages(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    tenant: Option<UserId>,
    before: Option<MessageId>,
) -> Result<MessageThread> {
    let mut tx = store.write().await?;
    let thread = direct_thread(&mut tx, actor, tenant).await?;
    let opened = open(&mut tx, thread, actor, now, before).await?;
    tx.commit().await?;
    Ok(opened)
}

/// Posts on a tenant's direct thread: the tenant on their own, staff into any tenant's.
pub async fn post_direct(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    request: &PostDirectMessage,
) -> Result<Message> {
    let mut tx = store.write().await?;
    let thread = direct_thread(&mut tx, actor, request.tenant).await?;
    let body = parse_body(&request.body)?;
    let message = thread::insert(&mut tx, thread, actor, now, &body, false).await?;
    tx.commit().await?;
    Ok(message)
}

/// Reads a page of the thread. The newest page (`before` empty) also counts what was new
/// to the reader and marks the thread read up to the last message they were shown; an
/// earlier page changes nothing.
async fn open(
    db: &mut Db,
    thread: Thread,
    reader: Actor,
    now: DateTime<Utc>,
    before: Option<MessageId>,
) -> Result<MessageThread> {
    let unread = match before {
        None => thread::unread_count(db, thread, reader).await?,
        Some(_) => 0,
    };
    let (messages, earlier) = thread::read(db, thread, reader, now, before).await?;
    if let (None, Some(last)) = (before, messages.last()) {
        thread::mark_read(db, thread, reader, last.id, now).await?;
    }
    let may_write_internal = match thread {
        Thread::Order(_) => reader.role.may_see_internal_notes(),
        // A tenant's own thread with the agency has nothing to keep from them.
        Thread::Direct { .. } => false,
    };
    Ok(MessageThread { messages, earlier, unread, may_write_internal })
}

/// Whose direct thread `actor` may use: a tenant only their own (another tenant's is not
/// found, as any read they may not make), the agency any tenant's, named.
async fn direct_thread(db: &mut Db, actor: Actor, tenant: Option<UserId>) -> Result<Thread> {
    refuse_without_direct_messages(actor)?;
    let not_found = || ServiceError::not_found("The conversation");
    let tenant = match (actor.role, tenant) {
        (Role::Tenant, None) => actor.user_id,
        (Role::Tenant, Some(tenant)) if tenant == actor.user_id => tenant,
        (Role::Tenant, Some(_)) => return Err(not_found()),
        (Role::Staff | Role::Admin | Role::Landlord | Role::Contractor, None) => {
            return Err(ServiceError::validation(Field::Tenant, "choose the tenant to write to"));
        }
        (Role::Staff | Role::Admin | Role::Landlord | Role::Contractor, Some(tenant)) => tenant,
    };
    let is_tenant: Option<(i64,)> = Sql::new("SELECT id FROM users WHERE id = ? AND role = ?")
        .bind(tenant.0)
        .bind(Role::Tenant.as_str())
        .fetch_optional(db)
        .await?;
    is_tenant.map(|_| Thread::Direct { tenant }).ok_or_else(not_found)
}

fn refuse_without_direct_messages(actor: Actor) -> Result<()> {
    if actor.role.has_direct_messages() {
        return Ok(());
    }
    Err(ServiceError::NotAllowed(
        "direct messages are between tenants and the agency; write on the order's thread instead".into(),
    ))
}

fn parse_body(text: &str) -> Result<MessageBody> {
    MessageBody::parse(text).map_err(|err| ServiceError::validation(Field::Body, err.to_string()))
}
