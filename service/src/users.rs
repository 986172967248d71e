//! Users as the rest of the app sees them.

use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use plumbline_domain::api::CurrentUser;
use plumbline_domain::{Actor, Role, UserId};

#[derive(sqlx::FromRow)]
struct RoleRecord {
    #[sqlx(try_from = "String")]
    role: Role,
}

pub async fn current(store: &Store, actor: Actor) -> Result<CurrentUser> {
    let (name, email, agency): (String, String, String) =
        Sql::new("SELECT u.name, u.email, a.name FROM users u, agency a WHERE u.id = ?")
            .bind(actor.user_id.0)
            .fetch_optional(store)
            .await?
            .ok_or_else(|| ServiceError::not_found("your user account"))?;
    Ok(CurrentUser { id: actor.user_id, name, email, role: actor.role, agency })
}

/// The acting identity of a stored user, by id.
pub async fn actor(store: &Store, user: UserId) -> Result<Actor> {
    let RoleRecord { role } = Sql::new("SELECT role FROM users WHERE id = ?")
        .bind(user.0)
        .fetch_optional(store)
        .await?
        .ok_or_else(|| ServiceError::not_found(format!("user {user}")))?;
    Ok(Actor { user_id: user, role })
}

/// The first staff member (tests and benchmarks act as them).
pub async fn first_staff(store: &Store) -> Result<Actor> {
    let (id,): (i64,) = Sql::new("SELECT id FROM users WHERE role = ? ORDER BY id LIMIT 1")
        .bind(Role::Staff.as_str())
        .fetch_optional(store)
        .await?
        .ok_or_else(|| ServiceError::not_found("a staff account"))?;
    Ok(Actor { user_id: UserId(id), role: Role::Staff })
}
