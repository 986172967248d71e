//! Sessions: a random secret kept by the client — the desktop's "Remember me" in the OS
//! keyring, the agency server's bearer token — and here only as its SHA-256, with an
//! expiry. Signing out or a password reset revokes it.

use super::password::session_secret;
use super::sign_in::SignedInUser;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::account::REMEMBER_DAYS;
use plumbline_domain::{Actor, Role, UserId};
use sha2::{Digest, Sha256};

/// A remembered session's secret. Never logged: `Debug` prints only that it exists.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn from_secret(secret: String) -> Self {
        Self(secret)
    }

    /// The text to hand to the OS keyring.
    pub fn secret(&self) -> &str {
        &self.0
    }

    fn digest(&self) -> String {
        Sha256::digest(self.0.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

pub(super) async fn remember(db: &mut Db, user: UserId, now: DateTime<Utc>) -> Result<SessionToken> {
    insert(db, user, now, Duration::days(REMEMBER_DAYS)).await
}

async fn insert(db: &mut Db, user: UserId, now: DateTime<Utc>, lifetime: Duration) -> Result<SessionToken> {
    let token = SessionToken(session_secret());
    Sql::new("INSERT INTO sessions (user_id, token_sha256, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(user.0)
        .bind(token.digest())
        .bind(to_secs(now))
        .bind(to_secs(now + lifetime))
        .execute(db)
        .await?;
    Ok(token)
}

/// A session lasting `lifetime` for a client that keeps the secret itself: the agency
/// server's bearer token, handed out at sign-in. Checked like a remembered one ([`resume`]),
/// and ended the same ways.
///
/// [`resume`]: super::resume
pub async fn open_session(store: &Store, user: UserId, now: DateTime<Utc>, lifetime: Duration) -> Result<SessionToken> {
    let mut tx = store.write().await?;
    let token = insert(&mut tx, user, now, lifetime).await?;
    tx.commit().await?;
    Ok(token)
}

/// After a password change: the user's other sessions (other computers, a stolen token)
/// end; the one that proved the password just now goes on.
pub async fn end_other_sessions(store: &Store, user: UserId, keep: &SessionToken, now: DateTime<Utc>) -> Result<()> {
    let mut tx = store.write().await?;
    Sql::new("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND token_sha256 <> ? AND revoked_at IS NULL")
        .bind(to_secs(now))
        .bind(user.0)
        .bind(keep.digest())
        .execute(&mut tx)
        .await?;
    // Their open change streams end now, not at the next change.
    tx.wake_subscribers_at_commit();
    tx.commit().await
}

#[derive(sqlx::FromRow)]
struct Holder {
    id: i64,
    #[sqlx(try_from = "String")]
    role: Role,
    must_change_password: bool,
}

/// Who holds `token`, if its session is live: what the agency server asks on every
/// request, so a session ended a moment ago (signed out, the password reset by an admin
/// or changed elsewhere, expired) is refused on the very next one. One query on one
/// pooled connection, however many requests arrive at once.
pub async fn session_user(store: &Store, now: DateTime<Utc>, token: &SessionToken) -> Result<Option<SignedInUser>> {
    let holder: Option<Holder> = Sql::new(
        "SELECT u.id, u.role, u.must_change_password FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_sha256 = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.deactivated_at IS NULL",
    )
    .bind(token.digest())
    .bind(to_secs(now))
    .fetch_optional(store)
    .await?;
    Ok(holder.map(|holder| SignedInUser {
        actor: Actor { user_id: UserId(holder.id), role: holder.role },
        must_change_password: holder.must_change_password,
        remembered: Some(token.clone()),
        since: now,
    }))
}

/// The user a remembered session belongs to, if it is still valid.
pub(super) async fn user_of(db: &mut Db, token: &SessionToken, now: DateTime<Utc>) -> Result<Option<UserId>> {
    let user: Option<(i64,)> =
        Sql::new("SELECT user_id FROM sessions WHERE token_sha256 = ? AND revoked_at IS NULL AND expires_at > ?")
            .bind(token.digest())
            .bind(to_secs(now))
            .fetch_optional(db)
            .await?;
    Ok(user.map(|(id,)| UserId(id)))
}

pub(super) async fn revoke(db: &mut Db, token: &SessionToken, now: DateTime<Utc>) -> Result<()> {
    Sql::new("UPDATE sessions SET revoked_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL")
        .bind(to_secs(now))
        .bind(token.digest())
        .execute(&mut *db)
        .await?;
    // Its open change stream ends now, not at the next change.
    db.wake_subscribers_at_commit();
    Ok(())
}

/// Every remembered session of a user ends, e.g. when an admin resets their password.
pub(super) async fn revoke_all(db: &mut Db, user: UserId, now: DateTime<Utc>) -> Result<()> {
    Sql::new("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
        .bind(to_secs(now))
        .bind(user.0)
        .execute(&mut *db)
        .await?;
    // Their open change streams end now, not at the next change.
    db.wake_subscribers_at_commit();
    Ok(())
}
