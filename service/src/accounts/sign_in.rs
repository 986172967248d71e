//! Signing in and out, resuming a remembered session, and changing one's own password.

use super::password;
use super::sessions::{self, SessionToken};
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use anyhow::anyhow;
use chrono::{DateTime, Utc};
use plumbline_domain::account::{
    AfterFailure, LOCKOUT_MINUTES, after_failed_sign_in, check_new_password, minutes_locked,
};
use plumbline_domain::api::{ChangePassword, SignIn};
use plumbline_domain::{Actor, Role, UserId};

/// Who is now signed in, and what the shell must keep for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInUser {
    pub actor: Actor,
    pub must_change_password: bool,
    /// With "Remember me": the secret to keep in the OS keyring.
    pub remembered: Option<SessionToken>,
    /// When this session began: notifications from before it are not news.
    pub since: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    email: String,
    role: String,
    password_hash: Option<String>,
    failed_sign_ins: i64,
    locked_until: Option<i64>,
    must_change_password: bool,
}

impl Credentials {
    fn actor(&self) -> Result<Actor> {
        let role =
            Role::parse(&self.role).ok_or_else(|| anyhow!("user {} has unknown role '{}'", self.id, self.role))?;
        Ok(Actor { user_id: UserId(self.id), role })
    }
}

const WRONG: &str = "That e-mail address and password do not match an account";

async fn credentials_by_email(store: &Store, email: &str) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, email, role, password_hash, failed_sign_ins, locked_until, must_change_password
         FROM users WHERE email = ?",
    )
    .bind(email.trim())
    .fetch_optional(store.pool())
    .await?)
}

async fn credentials_by_id(store: &Store, user: UserId) -> Result<Credentials> {
    sqlx::query_as(
        "SELECT id, email, role, password_hash, failed_sign_ins, locked_until, must_change_password
         FROM users WHERE id = ?",
    )
    .bind(user.0)
    .fetch_optional(store.pool())
    .await?
    .ok_or_else(|| ServiceError::not_found("your user account"))
}

pub async fn sign_in(store: &Store, now: DateTime<Utc>, request: &SignIn) -> Result<SignedInUser> {
    if request.email.trim().is_empty() {
        return Err(ServiceError::validation("email", "Enter your e-mail address"));
    }
    if request.password.is_empty() {
        return Err(ServiceError::validation("password", "Enter your password"));
    }
    let account = credentials_by_email(store, &request.email).await?;
    if let Some(minutes) = account.as_ref().and_then(|a| minutes_locked(from_secs(a.locked_until?), now)) {
        return Err(locked(minutes));
    }
    let matches =
        password::verify(&request.password, account.as_ref().and_then(|a| a.password_hash.as_deref())).await?;
    let Some(account) = account else {
        return Err(ServiceError::NotAllowed(WRONG.into()));
    };
    if !matches {
        return Err(record_failure(store, &account, now).await?);
    }
    let mut tx = store.pool().begin().await?;
    sqlx::query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?")
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    let actor = account.actor()?;
    let remembered = match request.remember {
        true => Some(sessions::remember(&mut tx, actor.user_id, now).await?),
        false => None,
    };
    tx.commit().await?;
    Ok(SignedInUser { actor, must_change_password: account.must_change_password, remembered, since: now })
}

/// Counts a wrong password, locking the account at the limit; returns the error to show.
async fn record_failure(store: &Store, account: &Credentials, now: DateTime<Utc>) -> Result<ServiceError> {
    let failed_before = u32::try_from(account.failed_sign_ins).unwrap_or(0);
    let (failed, locked_until) = match after_failed_sign_in(failed_before, now) {
        AfterFailure::Counted { failed } => (failed, None),
        AfterFailure::Locked { until } => (0, Some(to_secs(until))),
    };
    sqlx::query("UPDATE users SET failed_sign_ins = ?, locked_until = ? WHERE id = ?")
        .bind(failed)
        .bind(locked_until)
        .bind(account.id)
        .execute(store.pool())
        .await?;
    tracing::warn!(user = account.id, email = %account.email, locked = locked_until.is_some(), "failed sign-in");
    Ok(match locked_until {
        Some(_) => locked(LOCKOUT_MINUTES),
        None => ServiceError::NotAllowed(WRONG.into()),
    })
}

fn locked(minutes: i64) -> ServiceError {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    ServiceError::NotAllowed(format!(
        "Too many failed sign-ins: this account is locked for {minutes} {unit}. An agency admin can unlock it sooner"
    ))
}

/// The user of a remembered session, if it is still valid (not expired or revoked).
pub async fn resume(store: &Store, now: DateTime<Utc>, token: &SessionToken) -> Result<Option<SignedInUser>> {
    let mut db = store.pool().acquire().await?;
    let Some(user) = sessions::user_of(&mut db, token, now).await? else {
        return Ok(None);
    };
    let account = credentials_by_id(store, user).await?;
    Ok(Some(SignedInUser {
        actor: account.actor()?,
        must_change_password: account.must_change_password,
        remembered: Some(token.clone()),
        since: now,
    }))
}

/// Ends a remembered session in the store (the shell also removes it from the keyring).
pub async fn sign_out(store: &Store, now: DateTime<Utc>, token: Option<&SessionToken>) -> Result<()> {
    if let Some(token) = token {
        let mut db = store.pool().acquire().await?;
        sessions::revoke(&mut db, token, now).await?;
    }
    Ok(())
}

pub async fn change_password(store: &Store, actor: Actor, request: &ChangePassword) -> Result<()> {
    let account = credentials_by_id(store, actor.user_id).await?;
    if !password::verify(&request.current, account.password_hash.as_deref()).await? {
        return Err(ServiceError::validation("current", "That is not your current password"));
    }
    check_new_password(&request.new, &account.email).map_err(|message| ServiceError::validation("new", message))?;
    if request.new == request.current {
        return Err(ServiceError::validation("new", "Choose a password different from the current one"));
    }
    let hash = password::hash(&request.new).await?;
    sqlx::query("UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?")
        .bind(hash)
        .bind(actor.user_id.0)
        .execute(store.pool())
        .await?;
    Ok(())
}
