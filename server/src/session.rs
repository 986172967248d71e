//! The session commands, which the server runs itself (the service's `api::SESSION`):
//! signing in hands out a bearer token, kept by the client and stored here only as its
//! SHA-256; signing out, a password change (for the user's other sessions) and an
//! admin's reset end sessions in the store, so the next request with them is refused.
//! From the web portal's page (`X-Plumbline-Client: web`) the same session is handed
//! over as a cookie instead (`web_session`).

use crate::answer::{self, Answer};
use crate::app::App;
use crate::auth::{self, Caller};
use crate::error::ApiError;
use crate::listener::ClientAddr;
use crate::web_session;
use axum::Json;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{SessionStatus, SignIn, SignedIn};
use plumbline_domain::commands;
use plumbline_service::accounts::{self, Lasting, SignedInUser};
use plumbline_service::api::AnswerFormat;
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

/// `session`: signed in (with a live token), or what to show instead. A browser's cookie
/// that is no longer live is as good as none: the page shows the sign-in screen.
pub async fn status(app: &App, headers: &HeaderMap) -> Result<Response, ApiError> {
    let format = answer::asked(headers);
    match auth::caller(headers)? {
        Some(desktop @ Caller::Desktop(_)) => {
            let session = auth::live_caller(app, &desktop).await?;
            Ok(Answer(format, SessionStatus::SignedIn(signed_in(app, &session).await?)).into_response())
        }
        Some(Caller::Browser(token)) => match web_session::session_of(app, &token).await? {
            Some(session) => {
                auth::record_user(&session);
                let status = SessionStatus::SignedIn(signed_in(app, &session).await?);
                Ok(([web_session::csrf_header(&token)], Answer(format, status)).into_response())
            }
            None => {
                let forget = [(header::SET_COOKIE, web_session::cleared_cookie())];
                Ok((forget, Answer(format, signed_out(app, true).await?)).into_response())
            }
        },
        None => Ok(Answer(format, signed_out(app, web_session::from_browser(headers)).await?).into_response()),
    }
}

/// Set-up (the first run), or the sign-in screen with the demo agency's accounts (in a
/// browser, only those whose role may use the web portal).
async fn signed_out(app: &App, browser: bool) -> Result<SessionStatus, ApiError> {
    if accounts::setup_needed(app.store()).await? {
        return Ok(SessionStatus::SetupNeeded);
    }
    let mut demo_accounts = match app.demo() {
        true => accounts::demo_accounts(app.store()).await?,
        false => Vec::new(),
    };
    if browser && !demo_accounts.is_empty() {
        let portal = web_session::portal(app).await?;
        demo_accounts.retain(|account| portal.allows(account.role));
    }
    Ok(SessionStatus::SignedOut { demo_accounts })
}

/// `sign_in`: counted against the client's and the address's limits before any password
/// is checked; then the service's sign-in (equal time and the same answer for an unknown
/// address as for a wrong password; failures counted in one statement) and a new session.
/// From a browser, only a role the agency lets use the web portal (asked after the
/// password) gets one, as a cookie.
pub async fn sign_in(
    app: &App,
    client: ClientAddr,
    headers: &HeaderMap,
    args: commands::SignIn,
) -> Result<Response, ApiError> {
    app.limit_sign_in(client, Some(&args.request.email))?;
    let remember = args.request.remember;
    // The service's own "Remember me" row is the desktop's; here the token is the session.
    let request = SignIn { remember: false, ..args.request };
    let session = accounts::sign_in(app.store(), app.now(), &request).await?;
    let browser = web_session::from_browser(headers);
    if browser {
        web_session::check_role_may_sign_in(app, session.actor.role).await?;
    }
    tracing::info!(user = session.actor.user_id.0, browser, "signed in");
    match browser {
        true => grant_browser(app, &session, lasting(app, remember), answer::asked(headers)).await,
        false => grant(app, &session, lasting(app, remember)).await,
    }
}

/// `sign_out`: ends this token's (or cookie's) session; a browser forgets its cookie.
pub async fn sign_out(app: &App, headers: &HeaderMap) -> Result<Response, ApiError> {
    let caller = auth::caller(headers)?.ok_or_else(|| ApiError::not_signed_in("Sign in first"))?;
    let session = auth::live_caller(app, &caller).await?;
    accounts::sign_out(app.store(), app.now(), session.token.as_ref()).await?;
    let signed_out = Answer(answer::asked(headers), ());
    match caller {
        Caller::Desktop(_) => Ok(signed_out.into_response()),
        Caller::Browser(_) => Ok(([(header::SET_COOKIE, web_session::cleared_cookie())], signed_out).into_response()),
    }
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
    Ok(Answer(answer::asked(headers), signed_in(app, &session).await?).into_response())
}

/// `set_up_agency`: only on an empty store (the service refuses otherwise); its first
/// admin is signed in. Counted against the client's limit: it hashes a password too.
/// Never from a browser (`web_session::refuse_set_up`): from the desktop app.
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

/// A browser's session: the cookie (lasting as the session does when remembered) and
/// the page's token; the body is the command's own answer, without the secret.
async fn grant_browser(
    app: &App,
    session: &SignedInUser,
    lasting: Lasting,
    format: AnswerFormat,
) -> Result<Response, ApiError> {
    let token = accounts::open_session(app.store(), session.actor.user_id, app.now(), lasting).await?;
    let max_age = match lasting {
        Lasting::Remembered => Some(lasting.lifetime().num_seconds()),
        Lasting::Visit(_) => None,
    };
    let signed_in = signed_in(app, session).await?;
    Ok((web_session::handed_over(&token, max_age), Answer(format, signed_in)).into_response())
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
