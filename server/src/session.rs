//! The session commands, which the server runs itself (the service's `api::SESSION`):
//! signing in hands out a bearer token, kept by the client and stored here only as its
//! SHA-256; signing out, a password change (for the user's other sessions) and an
//! admin's reset end sessions in the store, so the next request with them is refused.

use crate::app::App;
use crate::auth;
use crate::error::ApiError;
use crate::listener::ClientAddr;
use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{SessionStatus, SignIn, SignedIn};
use plumbline_domain::commands;
use plumbline_service::accounts::{self, Lasting, SignedInUser};
use plumbline_service::users;
use serde::{Deserialize, Serialize};

/// The answer to `sign_in` and `set_up_agency`: the command's own answer (`SignedIn`, so
/// a client reading only that still can) and the bearer token for every later request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionGranted {
    #[serde(flatten)]
    pub signed_in: SignedIn,
    /// `Authorization: Bearer <token>` from now on. Shown once: the server keeps only its hash.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// `session`: signed in (with a live token), or what to show instead.
pub async fn status(app: &App, headers: &HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = auth::bearer(headers)? {
        let session = auth::live(app, &token).await?;
        return Ok(Json(SessionStatus::SignedIn(signed_in(app, &session).await?)).into_response());
    }
    let status = match accounts::setup_needed(app.store()).await? {
        true => SessionStatus::SetupNeeded,
        false => SessionStatus::SignedOut {
            demo_accounts: match app.demo() {
                true => accounts::demo_accounts(app.store()).await?,
                false => Vec::new(),
            },
        },
    };
    Ok(Json(status).into_response())
}

/// `sign_in`: counted against the client's and the address's limits before any password
/// is checked; then the service's sign-in (equal time and the same answer for an unknown
/// address as for a wrong password; failures counted in one statement) and a new session.
pub async fn sign_in(app: &App, client: ClientAddr, args: commands::SignIn) -> Result<Response, ApiError> {
    app.limit_sign_in(client, Some(&args.request.email))?;
    let remember = args.request.remember;
    // The service's own "Remember me" row is the desktop's; here the token is the session.
    let request = SignIn { remember: false, ..args.request };
    let session = accounts::sign_in(app.store(), app.now(), &request).await?;
    tracing::info!(user = session.actor.user_id.0, "signed in");
    grant(app, &session, lasting(app, remember)).await
}

/// `sign_out`: ends this token's session.
pub async fn sign_out(app: &App, headers: &HeaderMap) -> Result<Response, ApiError> {
    let session = auth::session(app, headers).await?;
    accounts::sign_out(app.store(), app.now(), session.token.as_ref()).await?;
    Ok(Json(()).into_response())
}

/// `change_password`: also what a temporary password's holder may do; the user's other
/// sessions end, this one goes on.
pub async fn change_password(
    app: &App,
    headers: &HeaderMap,
    args: commands::ChangePassword,
) -> Result<Response, ApiError> {
    let mut session = auth::session(app, headers).await?;
    accounts::change_password(app.store(), app.now(), session.actor, &args.request).await?;
    if let Some(token) = &session.token {
        accounts::end_other_sessions(app.store(), session.actor.user_id, token, app.now()).await?;
    }
    session.must_change_password = false;
    Ok(Json(signed_in(app, &session).await?).into_response())
}

/// `set_up_agency`: only on an empty store (the service refuses otherwise); its first
/// admin is signed in. Counted against the client's limit: it hashes a password too.
pub async fn set_up_agency(app: &App, client: ClientAddr, args: commands::SetUpAgency) -> Result<Response, ApiError> {
    app.limit_sign_in(client, None)?;
    let session = accounts::set_up_agency(app.store(), app.now(), &args.request).await?;
    tracing::info!(user = session.actor.user_id.0, "agency set up");
    grant(app, &session, Lasting::Visit(app.limits().session)).await
}

fn lasting(app: &App, remember: bool) -> Lasting {
    match remember {
        true => Lasting::Remembered,
        false => Lasting::Visit(app.limits().session),
    }
}

async fn grant(app: &App, session: &SignedInUser, lasting: Lasting) -> Result<Response, ApiError> {
    let now = app.now();
    let token = accounts::open_session(app.store(), session.actor.user_id, now, lasting).await?;
    let granted = SessionGranted {
        signed_in: signed_in(app, session).await?,
        token: token.secret().to_owned(),
        // The latest it can last: a visit ends sooner once idle.
        expires_at: now + lasting.lifetime(),
    };
    Ok(Json(granted).into_response())
}

async fn signed_in(app: &App, session: &SignedInUser) -> Result<SignedIn, ApiError> {
    let user = users::current(app.store(), session.actor).await?;
    let idle_sign_out_minutes = accounts::idle_sign_out_minutes(app.store()).await?;
    Ok(SignedIn {
        user,
        must_change_password: session.must_change_password,
        keyring_problem: None,
        idle_sign_out_minutes,
    })
}
