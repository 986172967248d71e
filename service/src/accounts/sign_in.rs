//! Signing in and out, resuming a remembered session, and changing one's own password.

use super::password;
use super::sessions::{self, Lasting, SessionToken};
use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::account::{
    LOCKOUT_MINUTES, MAX_EMAIL_CHARS, MAX_FAILED_SIGN_INS, MAX_PASSWORD_CHARS, check_new_password, minutes_locked,
};
use plumbline_domain::api::{ChangePassword, Field, SignIn};
use plumbline_domain::{Actor, Role, UserId};

/// Who is now signed in, and what the shell must keep for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInUser {
    pub actor: Actor,
    pub must_change_password: bool,
    /// The session's secret, kept by the client: in the OS keyring with "Remember me",
    /// or in memory for one visit. The service's own sign-in makes one only for
    /// "Remember me"; the shells open one otherwise (`open_session`).
    pub token: Option<SessionToken>,
    /// When this session began: notifications from before it are not news.
    pub since: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    email: String,
    #[sqlx(try_from = "String")]
    role: Role,
    password_hash: Option<String>,
    locked_until: Option<i64>,
    must_change_password: bool,
    deactivated: bool,
}

impl Credentials {
    fn actor(&self) -> Actor {
        Actor { user_id: UserId(self.id), role: self.role }
    }
}

const WRONG: &str = "That e-mail address and password do not match an account";

const CREDENTIALS: &str = "SELECT id, email, role, password_hash, locked_until, must_change_password,
                                  deactivated_at IS NOT NULL AS deactivated FROM users";

/// Told only to someone who gave the account's password: a guess learns nothing new.
const DEACTIVATED: &str = "This account has been deactivated. Ask your agency's admin if you still need it";

async fn credentials_by_email(store: &Store, email: &str) -> Result<Option<Credentials>> {
    Sql::new(format!("{CREDENTIALS} WHERE lower(email) = lower(?)")).bind(email.trim()).fetch_optional(store).await
}

async fn credentials_by_id(store: &Store, user: UserId) -> Result<Credentials> {
    Sql::new(format!("{CREDENTIALS} WHERE id = ?"))
        .bind(user.0)
        .fetch_optional(store)
        .await?
        .ok_or_else(|| ServiceError::not_found("your user account"))
}

pub async fn sign_in(store: &Store, now: DateTime<Utc>, request: &SignIn) -> Result<SignedInUser> {
    if request.email.trim().is_empty() {
        return Err(ServiceError::validation(Field::Email, "Enter your e-mail address"));
    }
    if request.password.is_empty() {
        return Err(ServiceError::validation(Field::Password, "Enter your password"));
    }
    if request.email.chars().count() > MAX_EMAIL_CHARS {
        return Err(ServiceError::validation(Field::Email, "That e-mail address is too long"));
    }
    check_length(Field::Password, &request.password)?;
    let account = credentials_by_email(store, &request.email).await?;
    let locked_until = match &account {
        Some(account) => account.locked_until,
        None => unknown::locked_until(store, &request.email).await?,
    };
    if let Some(minutes) = locked_until.and_then(|until| minutes_locked(from_secs(until), now)) {
        return Err(locked(minutes));
    }
    let matches =
        password::verify(&request.password, account.as_ref().and_then(|a| a.password_hash.as_deref())).await?;
    let Some(account) = account else {
        let locked_now = unknown::record_failure(store, &request.email, now).await?;
        return Err(failure_answer(locked_now));
    };
    if !matches {
        return Err(record_failure(store, &account, now).await?);
    }
    if account.deactivated {
        return Err(ServiceError::NotAllowed(DEACTIVATED.into()));
    }
    let mut tx = store.write().await?;
    Sql::new("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?")
        .bind(account.id)
        .execute(&mut tx)
        .await?;
    let actor = account.actor();
    let token = match request.remember {
        true => Some(sessions::insert(&mut tx, actor.user_id, now, Lasting::Remembered).await?),
        false => None,
    };
    tx.commit().await?;
    Ok(SignedInUser { actor, must_change_password: account.must_change_password, token, since: now })
}

/// Counts a wrong password at sign-in; returns the error to show.
async fn record_failure(store: &Store, account: &Credentials, now: DateTime<Utc>) -> Result<ServiceError> {
    Ok(failure_answer(count_failure(store, account, now).await?))
}

/// Counts a wrong password, locking the account at the limit; true when this very
/// failure locked it.
///
/// The domain's rule (`account::after_failed_sign_in`: the limit-th failure in a row
/// locks, and the count starts again) applied in one statement on the stored count,
/// not on the count read before the password was checked: wrong guesses made in
/// parallel each add one, so they cannot all slip under the limit.
async fn count_failure(store: &Store, account: &Credentials, now: DateTime<Utc>) -> Result<bool> {
    let until = to_secs(now + Duration::minutes(LOCKOUT_MINUTES));
    let counted: Option<(i64,)> = Sql::new(
        "UPDATE users
         SET failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ? THEN 0 ELSE failed_sign_ins + 1 END,
             locked_until = CASE WHEN failed_sign_ins + 1 >= ? THEN ? ELSE locked_until END
         WHERE id = ?
         RETURNING failed_sign_ins",
    )
    .bind(MAX_FAILED_SIGN_INS)
    .bind(MAX_FAILED_SIGN_INS)
    .bind(until)
    .bind(account.id)
    .fetch_optional(store)
    .await?;
    // The count is back at 0 only when this very failure reached the limit.
    let locked_now = counted.is_some_and(|(failed,)| failed == 0);
    tracing::warn!(user = account.id, email = %account.email, locked = locked_now, "failed password");
    Ok(locked_now)
}

/// What a wrong password is told, the same for an address with or without an account.
fn failure_answer(locked_now: bool) -> ServiceError {
    match locked_now {
        true => locked(LOCKOUT_MINUTES),
        false => ServiceError::NotAllowed(WRONG.into()),
    }
}

/// Addresses without an account, locked out as accounts are: otherwise only real
/// accounts would ever answer "locked", and five guesses would tell which ones exist.
mod unknown {
    use crate::db::Sql;
    use crate::error::Result;
    use crate::store::Store;
    use crate::time::to_secs;
    use chrono::{DateTime, Duration, Utc};
    use plumbline_domain::account::{LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS};

    fn key(email: &str) -> String {
        email.trim().to_lowercase()
    }

    pub(super) async fn locked_until(store: &Store, email: &str) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = Sql::new("SELECT locked_until FROM unknown_sign_ins WHERE email = ?")
            .bind(key(email))
            .fetch_optional(store)
            .await?;
        Ok(row.and_then(|(until,)| until))
    }

    /// Counts the failure in one statement, as `record_failure` does for an account;
    /// true when this very failure locked the address.
    pub(super) async fn record_failure(store: &Store, email: &str, now: DateTime<Utc>) -> Result<bool> {
        let until = to_secs(now + Duration::minutes(LOCKOUT_MINUTES));
        let (failed,): (i64,) = Sql::new(
            "INSERT INTO unknown_sign_ins (email, failed_sign_ins, locked_until) VALUES (?, 1, NULL)
             ON CONFLICT (email) DO UPDATE SET
                 failed_sign_ins = CASE WHEN unknown_sign_ins.failed_sign_ins + 1 >= ? THEN 0
                                        ELSE unknown_sign_ins.failed_sign_ins + 1 END,
                 locked_until = CASE WHEN unknown_sign_ins.failed_sign_ins + 1 >= ? THEN ?
                                     ELSE unknown_sign_ins.locked_until END
             RETURNING failed_sign_ins",
        )
        .bind(key(email))
        .bind(MAX_FAILED_SIGN_INS)
        .bind(MAX_FAILED_SIGN_INS)
        .bind(until)
        .fetch_one(store)
        .await?;
        tracing::warn!(locked = failed == 0, "failed sign-in at an address without an account");
        Ok(failed == 0)
    }
}

fn locked(minutes: i64) -> ServiceError {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    ServiceError::NotAllowed(format!(
        "Too many failed sign-ins: this account is locked for {minutes} {unit}. An agency admin can unlock it sooner"
    ))
}

/// The user of a remembered session, if it is still live (see [`sessions::session_user`]).
pub async fn resume(store: &Store, now: DateTime<Utc>, token: &SessionToken) -> Result<Option<SignedInUser>> {
    sessions::session_user(store, now, token).await
}

/// Ends a remembered session in the store (the shell also removes it from the keyring).
pub async fn sign_out(store: &Store, now: DateTime<Utc>, token: Option<&SessionToken>) -> Result<()> {
    if let Some(token) = token {
        let mut tx = store.write().await?;
        sessions::revoke(&mut tx, token, now).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Changes the actor's own password. A wrong current password counts towards the
/// lockout like a wrong sign-in (someone at an unattended desk must not get unlimited
/// guesses), and the lock it reaches ends every session of the account.
pub async fn change_password(store: &Store, now: DateTime<Utc>, actor: Actor, request: &ChangePassword) -> Result<()> {
    check_length(Field::Current, &request.current)?;
    let account = credentials_by_id(store, actor.user_id).await?;
    if !password::verify(&request.current, account.password_hash.as_deref()).await? {
        let locked_now = count_failure(store, &account, now).await?;
        if locked_now {
            let mut tx = store.write().await?;
            sessions::revoke_all(&mut tx, actor.user_id, now).await?;
            tx.commit().await?;
            return Err(locked(LOCKOUT_MINUTES));
        }
        return Err(ServiceError::validation(Field::Current, "That is not your current password"));
    }
    check_new_password(&request.new, &account.email)
        .map_err(|message| ServiceError::validation(Field::New, message))?;
    if request.new == request.current {
        return Err(ServiceError::validation(Field::New, "Choose a password different from the current one"));
    }
    let hash = password::hash(&request.new).await?;
    Sql::new("UPDATE users SET password_hash = ?, must_change_password = FALSE, failed_sign_ins = 0 WHERE id = ?")
        .bind(hash)
        .bind(actor.user_id.0)
        .execute(store)
        .await?;
    Ok(())
}

/// Refuses a password longer than any that can be set, before argon2 spends its time
/// (and memory) on it: hashing cost grows with the input.
fn check_length(field: Field, password: &str) -> Result<()> {
    match password.len() > MAX_PASSWORD_CHARS * 4 || password.chars().count() > MAX_PASSWORD_CHARS {
        true => Err(ServiceError::validation(field, format!("A password is at most {MAX_PASSWORD_CHARS} characters"))),
        false => Ok(()),
    }
}
