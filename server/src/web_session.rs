//! Browser sessions (#21): the web portal's page never sees a token. Signing in from it
//! (`X-Plumbline-Client: web`) opens the same session row as a desktop's, and hands its
//! secret over as the `plumbline_session` cookie (Secure, HttpOnly, SameSite=Strict),
//! which the browser sends back by itself; the same expiry, idle sign-out and ending
//! apply.
//!
//! Because the browser sends the cookie by itself, every POST it authenticates must also
//! carry `X-CSRF-Token`, the hex SHA-256 of a fixed label and the session's secret: the
//! page is given it (at sign-in and by `session`), another site's page cannot read or make
//! it, and the server keeps nothing new. [`require_csrf_token`] refuses a POST without it
//! before any route runs. GETs (the change stream, file downloads) change nothing and need
//! none. A request with `Authorization: Bearer` is a desktop's: its cookie is never read.
//!
//! The agency decides which roles may use the portal (`AgencyRules::web_portal`): checked
//! at sign-in, and on every request a cookie authenticates, so a role taken off the web
//! loses its web sessions at once.

use crate::app::App;
use crate::auth;
use crate::error::ApiError;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use plumbline_domain::api::WebPortal;
use plumbline_domain::{Command, Role, commands};
use plumbline_service::accounts::{self, SessionToken, SignedInUser};
use plumbline_service::settings;
use sha2::{Digest, Sha256};

/// The cookie holding a browser's session secret.
pub const COOKIE: &str = "plumbline_session";
/// What the web page sends with every request.
pub const CLIENT_HEADER: &str = "x-plumbline-client";
/// The page's security token, answered at sign-in and by `session`, sent with every POST.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What the CSRF token is derived from besides the secret: never the secret's own hash,
/// which is what the store keeps.
const CSRF_LABEL: &str = "plumbline web portal CSRF token v1\n";

/// Whether the request comes from the web portal's page.
pub fn from_browser(headers: &HeaderMap) -> bool {
    headers.get(CLIENT_HEADER).is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"web"))
}

/// The session secret in the request's `plumbline_session` cookie, if it holds one of the
/// right shape (anything else is as good as none).
pub fn cookie(headers: &HeaderMap) -> Option<SessionToken> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE && auth::is_token_shaped(value))
        .map(|(_, value)| SessionToken::from_secret(value.to_owned()))
}

/// The page's security token for the session of `token`.
pub fn csrf_token(token: &SessionToken) -> String {
    let digest = Sha256::new().chain_update(CSRF_LABEL).chain_update(token.secret()).finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `Set-Cookie` for a new session: for `max_age_seconds` when remembered, else until the
/// browser closes (the session row ends it sooner when idle).
pub fn session_cookie(token: &SessionToken, max_age_seconds: Option<i64>) -> HeaderValue {
    let max_age = max_age_seconds.map(|seconds| format!("; Max-Age={seconds}")).unwrap_or_default();
    let cookie = format!("{COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict{max_age}", token.secret());
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| cleared_cookie())
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_static("plumbline_session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict")
}

/// The headers that hand a browser its session: the cookie and the page's token.
pub fn handed_over(token: &SessionToken, max_age_seconds: Option<i64>) -> [(header::HeaderName, HeaderValue); 2] {
    [(header::SET_COOKIE, session_cookie(token, max_age_seconds)), csrf_header(token)]
}

pub fn csrf_header(token: &SessionToken) -> (header::HeaderName, HeaderValue) {
    let value = HeaderValue::from_str(&csrf_token(token)).unwrap_or_else(|_| HeaderValue::from_static(""));
    (header::HeaderName::from_static(CSRF_HEADER), value)
}

/// Commands a browser may POST without the page's token: finding out whether it is
/// signed in, and signing in (neither has a session to act as).
const WITHOUT_CSRF_TOKEN: [&str; 2] = [commands::Session::NAME, commands::SignIn::NAME];

/// Middleware: a POST (or any request that may change something) authenticated by the
/// cookie runs only with the session's token in `X-CSRF-Token`; otherwise 403, and nothing
/// runs.
pub async fn require_csrf_token(request: Request, next: Next) -> Response {
    match needs_token(&request) {
        Some(token) if !carries(request.headers(), &token) => {
            tracing::warn!(path = request.uri().path(), "a cookie-authenticated request without the page's token");
            ApiError::not_allowed("This request did not carry the page's security token: reload the page")
                .into_response()
        }
        Some(_) | None => next.run(request).await,
    }
}

/// The cookie's session, when the request would act by it and must show the token.
fn needs_token(request: &Request) -> Option<SessionToken> {
    let safe = request.method() == Method::GET || request.method() == Method::HEAD;
    let exempt =
        request.uri().path().strip_prefix("/api/v1/").is_some_and(|command| WITHOUT_CSRF_TOKEN.contains(&command));
    let desktop = request.headers().contains_key(header::AUTHORIZATION);
    if safe || exempt || desktop {
        return None;
    }
    cookie(request.headers())
}

/// Whether `X-CSRF-Token` is the session's token, compared in constant time.
fn carries(headers: &HeaderMap, token: &SessionToken) -> bool {
    let Some(sent) = headers.get(CSRF_HEADER) else { return false };
    let expected = csrf_token(token);
    let sent = sent.as_bytes();
    sent.len() == expected.len() && sent.iter().zip(expected.as_bytes()).fold(0, |diff, (a, b)| diff | (a ^ b)) == 0
}

/// The live session behind a browser's cookie whose role may still use the portal; a
/// session of a role the agency has since taken off the web is ended here.
pub async fn session_of(app: &App, token: &SessionToken) -> Result<Option<SignedInUser>, ApiError> {
    let Some(session) = accounts::session_user(app.store(), app.now(), token).await? else { return Ok(None) };
    if portal(app).await?.allows(session.actor.role) {
        return Ok(Some(session));
    }
    tracing::info!(user = session.actor.user_id.0, "a web session ended: the role is off the web portal");
    accounts::sign_out(app.store(), app.now(), Some(token)).await?;
    Ok(None)
}

/// An agency is set up from the desktop app, never from the web portal.
pub fn refuse_set_up(headers: &HeaderMap) -> Result<(), ApiError> {
    match from_browser(headers) || cookie(headers).is_some() {
        true => Err(ApiError::not_allowed("Set the agency up from the Plumbline desktop app")),
        false => Ok(()),
    }
}

/// Who may use the portal now.
pub async fn portal(app: &App) -> Result<WebPortal, ApiError> {
    Ok(settings::web_portal(app.store()).await?)
}

/// Refuses a web sign-in of a role the agency keeps on the desktop (checked after the
/// password, so the answer says nothing about an account the asker could not open).
pub async fn check_role_may_sign_in(app: &App, role: Role) -> Result<(), ApiError> {
    match portal(app).await?.allows(role) {
        true => Ok(()),
        false => Err(ApiError::not_allowed(format!(
            "Your agency has not opened the web portal to {}: use the Plumbline desktop app",
            WebPortal::group_name(role)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let secret = "ab".repeat(32);
        let token = cookie(&with_cookie(&format!("theme=dark; {COOKIE}={secret}; lang=en")));
        assert_eq!(token, Some(SessionToken::from_secret(secret)));
        assert_eq!(cookie(&with_cookie(&format!("{COOKIE}=short"))), None);
        assert_eq!(cookie(&HeaderMap::new()), None);
    }

    #[test]
    fn the_csrf_token_is_64_hex_digits_of_its_session_only() {
        let one = csrf_token(&SessionToken::from_secret("ab".repeat(32)));
        let other = csrf_token(&SessionToken::from_secret("cd".repeat(32)));
        assert_eq!(one.len(), 64);
        assert!(one.bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert_ne!(one, other);
    }

    #[test]
    fn the_cookie_is_secure_http_only_and_strict() {
        let token = SessionToken::from_secret("ab".repeat(32));
        let visit = session_cookie(&token, None);
        assert_eq!(visit, format!("{COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict", "ab".repeat(32)).as_str());
        let remembered = session_cookie(&token, Some(60));
        assert!(remembered.to_str().expect("text").ends_with("; Max-Age=60"));
    }
}
