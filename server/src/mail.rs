//! The e-mail commands that need the SMTP password (the service's `api::MAIL_SECRETS`):
//! the server sends its agency's mail, so the password is kept in this machine's keyring
//! (`smtp_password`) and the test message is sent from here.

use crate::answer::{self, Answer};
use crate::app::App;
use crate::auth;
use crate::error::ApiError;
use crate::smtp_password::SmtpPasswordEntry;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use plumbline_domain::api::Field;
use plumbline_domain::commands;
use plumbline_service::ServiceError;
use plumbline_service::mail;

fn entry(app: &App) -> SmtpPasswordEntry {
    SmtpPasswordEntry::for_store(app.store().name())
}

/// `set_smtp_password`: an admin's; an empty password forgets the kept one.
pub async fn set_password(
    app: &App,
    headers: &HeaderMap,
    args: commands::SetSmtpPassword,
) -> Result<Response, ApiError> {
    let actor = auth::actor(app, headers).await?;
    let keep = mail::password_to_keep(actor, &args.password)?;
    entry(app).keep(keep).await.map_err(|err| {
        tracing::warn!("the SMTP password could not be kept: {err:#}");
        ServiceError::validation(Field::SmtpPassword, format!("the server's keyring could not keep it: {err:#}"))
    })?;
    Ok(Answer(answer::asked(headers), ()).into_response())
}

/// `send_test_email`: to the signed-in staff member, now, from this server.
pub async fn send_test(app: &App, headers: &HeaderMap) -> Result<Response, ApiError> {
    let actor = auth::actor(app, headers).await?;
    let sent = mail::send_test(app.store(), actor, app.now(), &entry(app)).await?;
    Ok(Answer(answer::asked(headers), sent).into_response())
}

/// The background engine's mail step: what the outbox holds that is due.
pub async fn send_due(store: &plumbline_service::Store, now: chrono::DateTime<chrono::Utc>) {
    let password = SmtpPasswordEntry::for_store(store.name());
    match mail::send_due(store, now, &password).await {
        Ok(run) if run.failed > 0 => tracing::warn!(sent = run.sent, failed = run.failed, "e-mail outbox"),
        Ok(run) if run.sent > 0 => tracing::info!(sent = run.sent, "e-mail outbox"),
        Ok(_) => {}
        Err(err) => tracing::warn!("e-mail outbox: {err:#}"),
    }
}
