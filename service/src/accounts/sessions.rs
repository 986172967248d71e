//! Sessions: a random secret kept by the client — the desktop's "Remember me" in the OS
//! keyring, the desktop's memory for one visit, the agency server's bearer token — and
//! here only as its SHA-256, with an expiry. Every command asks the store whether its
//! session is still live ([`session_user`]), so signing out, a password change or reset,
//! a deactivation or the agency's idle time ends it everywhere at once.

use super::password::session_secret;
use super::sign_in::SignedInUser;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::account::{REMEMBER_DAYS, VISIT_HOURS};
use plumbline_domain::{Actor, Role, UserId};
use sha2::{Digest, Sha256};

/// A session's secret. Never logged: `Debug` prints only that it exists.
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

/// How long a session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lasting {
    /// "Remember me": its days, however long the app stays closed in between.
    Remembered,
    /// One visit: at most this long, and ended sooner after the agency's idle time
    /// without a command.
    Visit(Duration),
}

impl Lasting {
    /// A desktop's visit: at most a working day.
    pub fn visit() -> Self {
        Lasting::Visit(Duration::hours(VISIT_HOURS))
    }

    /// The longest it can last.
    pub fn lifetime(self) -> Duration {
        match self {
            Lasting::Remembered => Duration::days(REMEMBER_DAYS),
            Lasting::Visit(lifetime) => lifetime,
        }
    }

    fn ends_when_idle(self) -> bool {
        match self {
            Lasting::Remembered => false,
            Lasting::Visit(_) => true,
        }
    }
}

pub(super) async fn insert(db: &mut Db, user: UserId, now: DateTime<Utc>, lasting: Lasting) -> Result<SessionToken> {
    let token = SessionToken(session_secret());
    Sql::new(
        "INSERT INTO sessions (user_id, token_sha256, created_at, expires_at, ends_when_idle, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(user.0)
    .bind(token.digest())
    .bind(to_secs(now))
    .bind(to_secs(now + lasting.lifetime()))
    .bind(lasting.ends_when_idle())
    .bind(to_secs(now))
    .execute(db)
    .await?;
    Ok(token)
}

/// A session for a client that keeps the secret itself: the agency server's bearer
/// token, or the desktop's session after set-up or a sign-in without "Remember me".
/// Checked like any other ([`session_user`]), and ended the same ways.
pub async fn open_session(store: &Store, user: UserId, now: DateTime<Utc>, lasting: Lasting) -> Result<SessionToken> {
    let mut tx = store.write().await?;
    let token = insert(&mut tx, user, now, lasting).await?;
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
    last_used_at: Option<i64>,
}

/// How stale `last_used_at` may get before a command moves it: idle times are whole
/// minutes, so a write a minute is enough, and most commands write nothing.
const TOUCH_EVERY_SECS: i64 = 60;

/// Who holds `token`, if its session is live: not signed out, revoked (a password
/// changed or reset, an account deactivated), expired, or — for one visit — idle
/// longer than the agency allows. Asked before every command, on the desktop and the
/// agency server alike, so a session ended a moment ago is refused on the very next
/// one. One indexed query; a write at most once a minute per session.
pub async fn session_user(store: &Store, now: DateTime<Utc>, token: &SessionToken) -> Result<Option<SignedInUser>> {
    let holder: Option<Holder> = Sql::new(format!(
        "SELECT u.id, u.role, u.must_change_password, s.last_used_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_sha256 = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.deactivated_at IS NULL
           AND (NOT s.ends_when_idle OR s.last_used_at > ? - 60 * ({IDLE_MINUTES}))"
    ))
    .bind(token.digest())
    .bind(to_secs(now))
    .bind(to_secs(now))
    .fetch_optional(store)
    .await?;
    let Some(holder) = holder else { return Ok(None) };
    if holder.last_used_at.is_none_or(|used| used < to_secs(now) - TOUCH_EVERY_SECS) {
        let touched = Sql::new("UPDATE sessions SET last_used_at = ? WHERE token_sha256 = ?")
            .bind(to_secs(now))
            .bind(token.digest())
            .execute(store)
            .await;
        // Best effort: a store busy elsewhere must not refuse a live session's command;
        // the next command moves it instead.
        if let Err(err) = touched {
            tracing::warn!("could not note when a session was last used: {err}");
        }
    }
    Ok(Some(SignedInUser {
        actor: Actor { user_id: UserId(holder.id), role: holder.role },
        must_change_password: holder.must_change_password,
        token: Some(token.clone()),
        since: now,
    }))
}

/// The agency's idle time in minutes, as SQL (one agency per store).
const IDLE_MINUTES: &str = "SELECT COALESCE(max(idle_sign_out_minutes), 60) FROM agency";

/// How long a session may sit idle before it is signed out, in minutes.
pub async fn idle_sign_out_minutes(store: &Store) -> Result<i64> {
    let (minutes,): (i64,) = Sql::new(IDLE_MINUTES).fetch_one(store).await?;
    Ok(minutes)
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

/// Every session of a user ends, e.g. when an admin resets their password.
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
