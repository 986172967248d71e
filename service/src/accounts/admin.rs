//! The admin's user screens: invite a user of any role, list and search users, reset a
//! password, unlock, deactivate and reactivate an account. Only agency admins may do
//! any of it.

use super::audit;
use super::password;
use super::sessions;
use crate::db::{Sql, contains_pattern};
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::account::{AdminAction, MAX_NAME_CHARS, minutes_locked, normalise_email};
use plumbline_domain::api::{
    AccountStatus, Field, ListUsers, MAX_LISTED_USERS, NewUser, TemporaryPassword, UserList, UserSummary,
};
use plumbline_domain::{Actor, Role, UserId};

const MAX_PHONE_CHARS: usize = 30;
const MAX_COMPANY_CHARS: usize = 100;

pub(super) fn require_admin(actor: Actor) -> Result<()> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Staff | Role::Landlord | Role::Contractor | Role::Tenant => {
            Err(ServiceError::NotAllowed("only an agency admin can manage user accounts".into()))
        }
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRecord {
    id: i64,
    name: String,
    email: String,
    #[sqlx(try_from = "String")]
    role: Role,
    locked_until: Option<i64>,
    must_change_password: bool,
    deactivated_at: Option<i64>,
    has_password: bool,
}

impl SummaryRecord {
    fn into_summary(self, now: DateTime<Utc>) -> UserSummary {
        let status = match self.locked_until.and_then(|until| minutes_locked(from_secs(until), now)) {
            _ if self.deactivated_at.is_some() => AccountStatus::Deactivated,
            Some(minutes) => AccountStatus::Locked { minutes },
            None if !self.has_password => AccountStatus::NoPassword,
            None if self.must_change_password => AccountStatus::Invited,
            None => AccountStatus::Active,
        };
        UserSummary { id: UserId(self.id), name: self.name, email: self.email, role: self.role, status }
    }
}

const SUMMARY_COLUMNS: &str = "SELECT id, name, email, role, locked_until, must_change_password, deactivated_at,
            password_hash IS NOT NULL AS has_password FROM users";

/// Every word must appear, in any case, in the name or the e-mail address.
fn push_search(query: &mut Sql, search: &str) {
    query.push(" WHERE TRUE");
    for word in search.split_whitespace() {
        let pattern = contains_pattern(word);
        query.push(" AND (name ILIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\' OR email ILIKE ");
        query.push_bind(pattern).push(" ESCAPE '\\')");
    }
}

pub async fn list_users(store: &Store, actor: Actor, now: DateTime<Utc>, request: &ListUsers) -> Result<UserList> {
    require_admin(actor)?;
    let mut count = Sql::new("SELECT count(*) FROM users");
    push_search(&mut count, &request.search);
    let (total,): (i64,) = count.fetch_one(store).await?;
    let mut query = Sql::new(SUMMARY_COLUMNS);
    push_search(&mut query, &request.search);
    query.push(
        " ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'staff' THEN 1 WHEN 'landlord' THEN 2
                  WHEN 'contractor' THEN 3 ELSE 4 END, name, id LIMIT ",
    );
    query.push_bind(MAX_LISTED_USERS as i64);
    let records: Vec<SummaryRecord> = query.fetch_all(store).await?;
    Ok(UserList {
        users: records.into_iter().map(|r| r.into_summary(now)).collect(),
        total: u64::try_from(total).unwrap_or(0),
    })
}

async fn summary(store: &Store, user: UserId, now: DateTime<Utc>) -> Result<UserSummary> {
    let record: SummaryRecord = Sql::new(format!("{SUMMARY_COLUMNS} WHERE id = ?"))
        .bind(user.0)
        .fetch_optional(store)
        .await?
        .ok_or_else(|| ServiceError::not_found(format!("user {user}")))?;
    Ok(record.into_summary(now))
}

/// The new user's details, checked field by field before anything is stored.
struct CheckedUser {
    name: String,
    email: String,
    phone: Option<String>,
    company: Option<String>,
}

fn check_new_user(user: &NewUser) -> Result<CheckedUser> {
    let name = user.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::validation(Field::Name, format!("Enter a name of 1 to {MAX_NAME_CHARS} characters")));
    }
    let email = normalise_email(&user.email).map_err(|message| ServiceError::validation(Field::Email, message))?;
    let phone = user.phone.trim();
    if phone.chars().count() > MAX_PHONE_CHARS {
        return Err(ServiceError::validation(
            Field::Phone,
            format!("A phone number is at most {MAX_PHONE_CHARS} characters"),
        ));
    }
    let company = user.company.trim();
    let company = match user.role {
        Role::Contractor if company.is_empty() || company.chars().count() > MAX_COMPANY_CHARS => {
            return Err(ServiceError::validation(
                Field::Company,
                format!("Enter the contractor's company, 1 to {MAX_COMPANY_CHARS} characters"),
            ));
        }
        Role::Contractor => Some(company.to_owned()),
        Role::Staff | Role::Admin | Role::Landlord | Role::Tenant => None,
    };
    let phone = (!phone.is_empty()).then(|| phone.to_owned());
    Ok(CheckedUser { name: name.to_owned(), email, phone, company })
}

/// Creates the account with a temporary password, which the admin passes on; the user
/// must choose their own at first sign-in.
pub async fn create_user(store: &Store, actor: Actor, now: DateTime<Utc>, user: &NewUser) -> Result<TemporaryPassword> {
    require_admin(actor)?;
    let checked = check_new_user(user)?;
    let temporary = password::temporary();
    let hash = password::hash(&temporary).await?;
    let mut tx = store.write().await?;
    let taken: Option<(i64,)> = Sql::new("SELECT id FROM users WHERE lower(email) = lower(?)")
        .bind(&checked.email)
        .fetch_optional(&mut tx)
        .await?;
    if taken.is_some() {
        return Err(ServiceError::validation(
            Field::Email,
            format!("There is already an account for {}", checked.email),
        ));
    }
    let (id,): (i64,) = Sql::new(
        "INSERT INTO users (email, name, phone, role, password_hash, must_change_password, created_at)
         VALUES (?, ?, ?, ?, ?, TRUE, ?) RETURNING id",
    )
    .bind(&checked.email)
    .bind(&checked.name)
    .bind(checked.phone.as_deref())
    .bind(user.role.as_str())
    .bind(hash)
    .bind(to_secs(now))
    .fetch_one(&mut tx)
    .await?;
    match user.role {
        Role::Landlord => {
            Sql::new("INSERT INTO landlord_thresholds (landlord_id) VALUES (?)").bind(id).execute(&mut tx).await?;
        }
        Role::Contractor => {
            Sql::new("INSERT INTO contractors (user_id, company) VALUES (?, ?)")
                .bind(id)
                .bind(checked.company.as_deref())
                .execute(&mut tx)
                .await?;
        }
        Role::Staff | Role::Admin | Role::Tenant => {}
    }
    let detail = format!("as {}", user.role.with_article());
    audit::record(&mut tx, now, actor, AdminAction::Invited, UserId(id), &detail).await?;
    tx.commit().await?;
    Ok(TemporaryPassword { user: summary(store, UserId(id), now).await?, password: temporary })
}

/// A new temporary password: unlocks the account and ends its remembered sessions.
pub async fn reset_password(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    user: UserId,
) -> Result<TemporaryPassword> {
    require_admin(actor)?;
    summary(store, user, now).await?;
    let temporary = password::temporary();
    let hash = password::hash(&temporary).await?;
    let mut tx = store.write().await?;
    Sql::new(
        "UPDATE users SET password_hash = ?, must_change_password = TRUE, failed_sign_ins = 0, locked_until = NULL
         WHERE id = ?",
    )
    .bind(hash)
    .bind(user.0)
    .execute(&mut tx)
    .await?;
    sessions::revoke_all(&mut tx, user, now).await?;
    audit::record(&mut tx, now, actor, AdminAction::PasswordReset, user, "").await?;
    tx.commit().await?;
    Ok(TemporaryPassword { user: summary(store, user, now).await?, password: temporary })
}

pub async fn unlock_user(store: &Store, actor: Actor, now: DateTime<Utc>, user: UserId) -> Result<UserSummary> {
    require_admin(actor)?;
    summary(store, user, now).await?;
    let mut tx = store.write().await?;
    Sql::new("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?")
        .bind(user.0)
        .execute(&mut tx)
        .await?;
    audit::record(&mut tx, now, actor, AdminAction::Unlocked, user, "").await?;
    tx.commit().await?;
    summary(store, user, now).await
}

/// Deactivates (`active: false`) or reactivates an account. A deactivated user cannot
/// sign in, and every session of theirs ends in the same transaction, so the agency
/// server refuses their token on the very next request; their name stays on the orders
/// and messages they took part in. An admin cannot deactivate themselves, so an agency
/// always keeps an admin who can sign in.
pub async fn set_user_active(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    user: UserId,
    active: bool,
) -> Result<UserSummary> {
    require_admin(actor)?;
    if !active && user == actor.user_id {
        return Err(ServiceError::NotAllowed("you cannot deactivate your own account: ask another admin".into()));
    }
    summary(store, user, now).await?;
    let mut tx = store.write().await?;
    let deactivated_at = (!active).then(|| to_secs(now));
    Sql::new("UPDATE users SET deactivated_at = ? WHERE id = ?")
        .bind(deactivated_at)
        .bind(user.0)
        .execute(&mut tx)
        .await?;
    if !active {
        sessions::revoke_all(&mut tx, user, now).await?;
    }
    let action = if active { AdminAction::Reactivated } else { AdminAction::Deactivated };
    audit::record(&mut tx, now, actor, action, user, "").await?;
    tx.commit().await?;
    summary(store, user, now).await
}
