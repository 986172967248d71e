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
    let (name, email, agency, currency): (String, String, String, String) =
        Sql::new("SELECT u.name, u.email, a.name, a.currency FROM users u, agency a WHERE u.id = ?")
            .bind(actor.user_id.0)
            .fetch_optional(store)
            .await?
            .ok_or_else(|| ServiceError::not_found("your user account"))?;
    Ok(CurrentUser { id: actor.user_id, name, email, role: actor.role, agency, currency })
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

/// A landlord, tenant or contractor the agency records before they sign in: the account
/// has no password until an admin gives them a temporary one from Users.
pub(crate) async fn insert_without_password(
    db: &mut crate::db::Db,
    now: chrono::DateTime<chrono::Utc>,
    role: Role,
    email: &str,
    name: &str,
    phone: Option<&str>,
) -> Result<UserId> {
    let (id,): (i64,) =
        Sql::new("INSERT INTO users (email, name, phone, role, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
            .bind(email)
            .bind(name)
            .bind(phone)
            .bind(role.as_str())
            .bind(crate::time::to_secs(now))
            .fetch_one(&mut *db)
            .await?;
    match role {
        Role::Landlord => {
            Sql::new("INSERT INTO landlord_thresholds (landlord_id) VALUES (?)").bind(id).execute(&mut *db).await?;
        }
        Role::Staff | Role::Admin | Role::Contractor | Role::Tenant => {}
    }
    Ok(UserId(id))
}
