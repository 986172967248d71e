//! E-mail notifications: the agency's SMTP settings, each user's choice of what reaches
//! them by e-mail, and the outbox.
//!
//! Mail is never sent inside a use case. What an event should e-mail is written to
//! `mail_outbox` in the event's own transaction (`queue`, from `notifications::fan_out`),
//! so it exists exactly when the event does; the sender (`send::send_due`, run by
//! whoever runs the background engine) delivers it later, retrying with backoff while
//! the mail server is away. The SMTP password is never stored here: the sender's caller
//! hands it in from its machine's OS keyring (`SmtpPassword`).

mod send;

pub use send::{MailRun, NoPassword, SmtpPassword, send_due, send_test};

use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::input;
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{EmailPreferences, Field, MailSecurity, MailSettings};
use plumbline_domain::mail::{self as rules, EmailTopic};
use plumbline_domain::{Actor, Role, UserId};

fn require_admin(actor: Actor) -> Result<()> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Staff | Role::Landlord | Role::Contractor | Role::Tenant => {
            Err(ServiceError::NotAllowed("only an agency admin can change the agency's e-mail settings".into()))
        }
    }
}

/// Longest SMTP password accepted.
pub const MAX_PASSWORD_CHARS: usize = 1000;

/// What to do with the SMTP password an admin typed: keep it (`Some`) in the caller's
/// keyring, or forget the kept one (empty). Checked here, kept by the caller.
pub fn password_to_keep(actor: Actor, password: &str) -> Result<Option<&str>> {
    require_admin(actor)?;
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ServiceError::validation(
            Field::SmtpPassword,
            format!("the password is longer than {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok((!password.is_empty()).then_some(password))
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    host: String,
    port: i64,
    username: String,
    sender: String,
    security: String,
}

impl TryFrom<SettingsRow> for MailSettings {
    type Error = ServiceError;
    fn try_from(row: SettingsRow) -> Result<Self> {
        let security = MailSecurity::parse(&row.security)
            .ok_or_else(|| anyhow::anyhow!("unknown mail security {:?} in the store", row.security))?;
        Ok(MailSettings {
            host: row.host,
            port: u16::try_from(row.port).map_err(|err| anyhow::anyhow!("stored SMTP port {}: {err}", row.port))?,
            user: row.username,
            sender: row.sender,
            security,
        })
    }
}

/// The agency's SMTP server as saved. Staff may read it (they send the test message).
pub async fn settings(store: &Store, actor: Actor) -> Result<MailSettings> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("only agency staff can see the agency's e-mail settings".into()));
    }
    settings_in(&mut store.read().await?).await
}

pub(crate) async fn settings_in(db: &mut Db) -> Result<MailSettings> {
    let row: SettingsRow = Sql::new("SELECT host, port, username, sender, security FROM mail_settings WHERE id = 1")
        .fetch_one(&mut *db)
        .await?;
    row.try_into()
}

/// Checks `settings` (refusing the first problem, by its field) and tidies them.
fn check(settings: &MailSettings) -> Result<MailSettings> {
    if let Some((field, message)) = rules::problems(settings).into_iter().next() {
        return Err(ServiceError::validation(field, message));
    }
    Ok(MailSettings {
        host: input::optional(Field::SmtpHost, "mail server", &settings.host, rules::MAX_HOST_CHARS)?,
        user: input::optional(Field::SmtpUser, "user name", &settings.user, rules::MAX_ADDRESS_CHARS)?,
        sender: input::optional(Field::SmtpSender, "sender address", &settings.sender, rules::MAX_ADDRESS_CHARS)?,
        ..settings.clone()
    })
}

fn describe(settings: &MailSettings) -> String {
    if settings.host.is_empty() {
        return "off".to_owned();
    }
    let user = if settings.user.is_empty() { "no sign-in".to_owned() } else { format!("as {}", settings.user) };
    format!("{}:{} ({}), {user}, from {}", settings.host, settings.port, settings.security.label(), settings.sender)
}

/// Saves the SMTP settings and records the change in the settings' trail. Only an admin;
/// bad input changes nothing.
pub async fn update_settings(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    settings: &MailSettings,
) -> Result<MailSettings> {
    require_admin(actor)?;
    let settings = check(settings)?;
    let mut tx = store.write().await?;
    let before = settings_in(&mut tx).await?;
    if before == settings {
        return Ok(before);
    }
    Sql::new("UPDATE mail_settings SET host = ?, port = ?, username = ?, sender = ?, security = ? WHERE id = 1")
        .bind(settings.host.as_str())
        .bind(i64::from(settings.port))
        .bind(settings.user.as_str())
        .bind(settings.sender.as_str())
        .bind(settings.security.as_str())
        .execute(&mut tx)
        .await?;
    Sql::new("INSERT INTO settings_changes (at, actor_id, setting, before, after) VALUES (?, ?, ?, ?, ?)")
        .bind(to_secs(now))
        .bind(actor.user_id.0)
        .bind("E-mail server")
        .bind(describe(&before))
        .bind(describe(&settings))
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(settings)
}

/// Which events reach the signed-in user by e-mail.
pub async fn preferences(store: &Store, actor: Actor) -> Result<EmailPreferences> {
    preferences_of(&mut store.read().await?, actor.user_id).await
}

async fn preferences_of(db: &mut Db, user: UserId) -> Result<EmailPreferences> {
    let (action_needed, progress, payments): (bool, bool, bool) =
        Sql::new("SELECT email_action_needed, email_progress, email_payments FROM users WHERE id = ?")
            .bind(user.0)
            .fetch_optional(&mut *db)
            .await?
            .ok_or_else(|| ServiceError::not_found("your user account"))?;
    Ok(EmailPreferences { action_needed, progress, payments })
}

/// Saves the signed-in user's own choice (everyone chooses for themselves).
pub async fn set_preferences(store: &Store, actor: Actor, preferences: EmailPreferences) -> Result<EmailPreferences> {
    Sql::new("UPDATE users SET email_action_needed = ?, email_progress = ?, email_payments = ? WHERE id = ?")
        .bind(preferences.action_needed)
        .bind(preferences.progress)
        .bind(preferences.payments)
        .bind(actor.user_id.0)
        .execute(store)
        .await?;
    Ok(preferences)
}

/// Writes one message to the outbox, in the caller's transaction, due at once. Anyone's
/// address may be given (e.g. the after-hours escalation contact); it is sent by the
/// next `send_due`, and retried while the mail server is away. Written even while
/// e-mail is not set up: it then waits, its error saying so, until it is. `to` that is
/// not an e-mail address is refused (`Field::Email`) and nothing is written.
pub(crate) async fn queue(db: &mut Db, to: &str, subject: &str, body: &str, now: DateTime<Utc>) -> Result<()> {
    let to = to.trim();
    if !rules::looks_like_address(to) {
        return Err(ServiceError::validation(Field::Email, format!("{to:?} is not an e-mail address")));
    }
    Sql::new(
        "INSERT INTO mail_outbox (recipient, subject, body, created_at, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, 0, ?)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(to_secs(now))
    .bind(to_secs(now))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Whether the agency has set e-mail up (a mail server saved): until then notifications
/// queue no mail, so turning it on never sends a backlog of old news.
pub(crate) async fn enabled(db: &mut Db) -> Result<bool> {
    let (host,): (String,) = Sql::new("SELECT host FROM mail_settings WHERE id = 1").fetch_one(&mut *db).await?;
    Ok(!host.is_empty())
}

/// Queues a notification's e-mail for `user` if they chose this kind of news and have
/// an address and an active account; in the caller's (the event's) transaction.
pub(crate) async fn queue_for_user(
    db: &mut Db,
    user: UserId,
    topic: EmailTopic,
    subject: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let row: Option<(String, bool, bool, bool)> = Sql::new(
        "SELECT email, email_action_needed, email_progress, email_payments FROM users
         WHERE id = ? AND deactivated_at IS NULL",
    )
    .bind(user.0)
    .fetch_optional(&mut *db)
    .await?;
    let Some((email, action_needed, progress, payments)) = row else { return Ok(()) };
    let wanted = EmailPreferences { action_needed, progress, payments }.wants(topic);
    if !wanted || !rules::looks_like_address(email.trim()) {
        return Ok(());
    }
    let body = format!("{body}\n\n-- \nSent by Plumbline. Choose which e-mails you get on your Account page.");
    queue(db, email.trim(), subject, &body, at).await
}
