//! The admin audit log: every admin action on an account (who did what to whom, and
//! when), written in the action's own transaction so an action and its entry are never
//! apart, and read by admins only, newest first.

use super::admin::require_admin;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::account::AdminAction;
use plumbline_domain::api::{ADMIN_ACTIONS_PAGE, AdminActionEntry, AdminActionPage, ListAdminActions};
use plumbline_domain::{Actor, UserId};

/// Records `action` by `admin` on `user`, inside the caller's transaction.
pub(super) async fn record(
    db: &mut Db,
    now: DateTime<Utc>,
    admin: Actor,
    action: AdminAction,
    user: UserId,
    detail: &str,
) -> Result<()> {
    Sql::new("INSERT INTO admin_actions (at, admin_id, action, user_id, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(to_secs(now))
        .bind(admin.user_id.0)
        .bind(action.as_str())
        .bind(user.0)
        .bind(detail)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRecord {
    id: i64,
    at: i64,
    admin: String,
    #[sqlx(try_from = "String")]
    action: AdminAction,
    user_name: String,
    user_email: String,
    detail: String,
}

/// A page of the log, newest first, before the entry `request.before` if given.
pub async fn list_admin_actions(store: &Store, actor: Actor, request: &ListAdminActions) -> Result<AdminActionPage> {
    require_admin(actor)?;
    let mut query = Sql::new(
        "SELECT a.id, a.at, admin.name AS admin, a.action, u.name AS user_name, u.email AS user_email, a.detail
         FROM admin_actions a JOIN users admin ON admin.id = a.admin_id JOIN users u ON u.id = a.user_id",
    );
    if let Some(before) = request.before {
        query.push(" WHERE a.id < ").push_bind(before);
    }
    // Ids grow with time (one writer at a time), so the id alone orders the log.
    query.push(" ORDER BY a.id DESC LIMIT ").push_bind(ADMIN_ACTIONS_PAGE as i64 + 1);
    let mut records: Vec<EntryRecord> = query.fetch_all(store).await?;
    let more = records.len() > ADMIN_ACTIONS_PAGE;
    records.truncate(ADMIN_ACTIONS_PAGE);
    let entries = records
        .into_iter()
        .map(|r| AdminActionEntry {
            id: r.id,
            at: from_secs(r.at),
            admin: r.admin,
            action: r.action,
            user: r.user_name,
            user_email: r.user_email,
            detail: r.detail,
        })
        .collect();
    Ok(AdminActionPage { entries, more })
}
