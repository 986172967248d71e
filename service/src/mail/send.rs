//! Sending the outbox over SMTP (lettre, TLS by rustls): claims each due message with a
//! guarded update so two engines never send one twice, and on failure keeps the error
//! and schedules the next attempt (`domain::mail::retry_after_seconds`).

use super::settings_in;
use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use plumbline_domain::api::{Field, MailSecurity, MailSettings, TestEmailSent};
use plumbline_domain::mail::retry_after_seconds;
use plumbline_domain::{Actor, Role};
use std::time::Duration;

/// How many messages one run sends at most; the rest wait for the next minute.
const BATCH: i64 = 50;
/// A claimed message is the claimant's for this long; if its process dies mid-send the
/// message is tried again after it (at least once, rather than never).
const CLAIM_SECONDS: i64 = 10 * 60;
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the SMTP password comes from: the OS keyring of the machine that sends (the
/// desktop's on its own store, the agency server's), so the service never touches one.
pub trait SmtpPassword: Send + Sync {
    /// The password kept, or `None` when none is.
    fn smtp_password(&self) -> impl Future<Output = anyhow::Result<Option<String>>> + Send;
}

/// For a relay that needs no sign-in.
#[derive(Debug, Clone, Copy)]
pub struct NoPassword;

impl SmtpPassword for NoPassword {
    async fn smtp_password(&self) -> anyhow::Result<Option<String>> {
        Ok(None)
    }
}

/// What one run of the sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRun {
    pub sent: usize,
    /// Attempts that failed and were scheduled again.
    pub failed: usize,
}

type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// Why nothing can be sent now, in words for the outbox's `last_error` and the test
/// button ("e-mail is not set up", "no SMTP password is kept…"), and the setting to fix.
struct NotReady {
    field: Field,
    why: String,
}

impl NotReady {
    fn new(field: Field, why: impl Into<String>) -> Self {
        Self { field, why: why.into() }
    }
}

async fn transport(settings: &MailSettings, password: &impl SmtpPassword) -> std::result::Result<Transport, NotReady> {
    if settings.host.is_empty() {
        return Err(NotReady::new(Field::SmtpHost, "e-mail is not set up: no mail server is saved in Settings"));
    }
    let host = settings.host.as_str();
    let builder = match settings.security {
        MailSecurity::StartTls => {
            Transport::starttls_relay(host).map_err(|err| NotReady::new(Field::SmtpHost, described(&err)))?
        }
        MailSecurity::Tls => Transport::relay(host).map_err(|err| NotReady::new(Field::SmtpHost, described(&err)))?,
        MailSecurity::None => Transport::builder_dangerous(host),
    };
    let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
    if !settings.user.is_empty() {
        let secret = match password.smtp_password().await {
            Ok(Some(secret)) => secret,
            Ok(None) => {
                let why = "no SMTP password is kept on the machine that sends mail: set it in Settings";
                return Err(NotReady::new(Field::SmtpPassword, why));
            }
            Err(err) => {
                let why = format!("the SMTP password could not be read from the keyring: {err:#}");
                return Err(NotReady::new(Field::SmtpPassword, why));
            }
        };
        builder = builder.credentials(Credentials::new(settings.user.clone(), secret));
    }
    Ok(builder.build())
}

/// An error with its causes, as the SMTP server's own words are often in a cause.
fn described(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        let more = inner.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = inner.source();
    }
    text
}

fn message(
    sender: &str,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> std::result::Result<Message, String> {
    let from: Mailbox = sender.parse().map_err(|err| format!("the sender address {sender:?}: {err}"))?;
    let to: Mailbox = to.parse().map_err(|err| format!("the address {to:?}: {err}"))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .date(now.into())
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_owned())
        .map_err(|err| described(&err))
}

async fn deliver(transport: &Transport, message: Message) -> std::result::Result<(), String> {
    transport.send(message).await.map(|_| ()).map_err(|err| described(&err))
}

#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    recipient: String,
    subject: String,
    body: String,
}

/// Sends what the outbox holds that is due at `now`, each message claimed first; a
/// failure is kept with its reason and tried again later, so nothing is lost while the
/// mail server is away. Safe to run in several processes at once.
pub async fn send_due(store: &Store, now: DateTime<Utc>, password: &impl SmtpPassword) -> Result<MailRun> {
    let due: Vec<Due> = Sql::new(
        "SELECT id, recipient, subject, body FROM mail_outbox
         WHERE sent_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
         ORDER BY next_attempt_at, id LIMIT ?",
    )
    .bind(to_secs(now))
    .bind(to_secs(now))
    .bind(BATCH)
    .fetch_all(store)
    .await?;
    let mut run = MailRun::default();
    if due.is_empty() {
        return Ok(run);
    }
    let settings = settings_in(&mut store.read().await?).await?;
    let transport = transport(&settings, password).await;
    for mail in due {
        let Some(attempts) = claim(store, mail.id, now).await? else { continue };
        let outcome = match &transport {
            Ok(transport) => match message(&settings.sender, &mail.recipient, &mail.subject, &mail.body, now) {
                Ok(message) => deliver(transport, message).await,
                Err(why) => Err(why),
            },
            Err(not_ready) => Err(not_ready.why.clone()),
        };
        match outcome {
            Ok(()) => {
                mark_sent(store, mail.id, now).await?;
                run.sent += 1;
            }
            Err(why) => {
                tracing::warn!(mail = mail.id, attempts, "e-mail not sent, will retry: {why}");
                mark_failed(store, mail.id, attempts, &why, now).await?;
                run.failed += 1;
            }
        }
    }
    Ok(run)
}

/// Takes the message for this run unless another sender did: one guarded statement, so
/// of two engines only one moves `claimed_until` on. Answers the attempt's number.
async fn claim(store: &Store, id: i64, now: DateTime<Utc>) -> Result<Option<i64>> {
    let claimed = Sql::new(
        "UPDATE mail_outbox SET claimed_until = ?, attempts = attempts + 1
         WHERE id = ? AND sent_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)",
    )
    .bind(to_secs(now) + CLAIM_SECONDS)
    .bind(id)
    .bind(to_secs(now))
    .bind(to_secs(now))
    .execute(store)
    .await?;
    if claimed == 0 {
        return Ok(None);
    }
    let (attempts,): (i64,) =
        Sql::new("SELECT attempts FROM mail_outbox WHERE id = ?").bind(id).fetch_one(store).await?;
    Ok(Some(attempts))
}

async fn mark_sent(store: &Store, id: i64, now: DateTime<Utc>) -> Result<()> {
    Sql::new("UPDATE mail_outbox SET sent_at = ?, claimed_until = NULL, last_error = NULL WHERE id = ?")
        .bind(to_secs(now))
        .bind(id)
        .execute(store)
        .await?;
    Ok(())
}

async fn mark_failed(store: &Store, id: i64, attempts: i64, why: &str, now: DateTime<Utc>) -> Result<()> {
    let wait = retry_after_seconds(u32::try_from(attempts).unwrap_or(u32::MAX));
    let why: String = why.chars().take(1000).collect();
    Sql::new("UPDATE mail_outbox SET next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?")
        .bind(to_secs(now) + wait)
        .bind(why)
        .bind(id)
        .execute(store)
        .await?;
    Ok(())
}

/// Sends a test message to the signed-in staff member's own address now, through the
/// saved settings, and answers the mail server's own error if it fails. Staff only.
pub async fn send_test(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    password: &impl SmtpPassword,
) -> Result<TestEmailSent> {
    match actor.role {
        Role::Admin | Role::Staff => {}
        Role::Landlord | Role::Contractor | Role::Tenant => {
            return Err(ServiceError::NotAllowed("only agency staff can send a test e-mail".into()));
        }
    }
    let mut db = store.read().await?;
    let settings = settings_in(&mut db).await?;
    let (email, name): (String, String) =
        Sql::new("SELECT email, name FROM users WHERE id = ?").bind(actor.user_id.0).fetch_one(&mut db).await?;
    drop(db);
    let failed = |field: Field| {
        move |why: String| ServiceError::validation(field, format!("The test e-mail was not sent: {why}"))
    };
    let transport = transport(&settings, password).await.map_err(|not_ready| failed(not_ready.field)(not_ready.why))?;
    let body = format!(
        "Hello {name},\n\nThis is a test message from Plumbline: e-mail notifications from {} reach you.\n",
        settings.sender
    );
    let message = message(&settings.sender, email.trim(), "Plumbline test e-mail", &body, now)
        .map_err(failed(Field::SmtpSender))?;
    deliver(&transport, message).await.map_err(failed(Field::SmtpHost))?;
    Ok(TestEmailSent { to: email.trim().to_owned() })
}
