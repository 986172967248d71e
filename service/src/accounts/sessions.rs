//! "Remember me": a random secret kept in the OS keyring by the shell, and here only
//! as its SHA-256, with an expiry. Signing out or a password reset revokes it.

use super::password::session_secret;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::UserId;
use plumbline_domain::account::REMEMBER_DAYS;
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
    let token = SessionToken(session_secret());
    Sql::new("INSERT INTO sessions (user_id, token_sha256, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(user.0)
        .bind(token.digest())
        .bind(to_secs(now))
        .bind(to_secs(now + Duration::days(REMEMBER_DAYS)))
        .execute(db)
        .await?;
    Ok(token)
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
        .execute(db)
        .await?;
    Ok(())
}

/// Every remembered session of a user ends, e.g. when an admin resets their password.
pub(super) async fn revoke_all(db: &mut Db, user: UserId, now: DateTime<Utc>) -> Result<()> {
    Sql::new("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
        .bind(to_secs(now))
        .bind(user.0)
        .execute(db)
        .await?;
    Ok(())
}
