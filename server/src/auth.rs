//! Who is asking: a desktop's bearer token in `Authorization`, or else a browser's
//! session cookie (`web_session`), checked against its session row on every request, so a
//! session ended a moment ago is refused on the very next one. A request with a bearer
//! token never has its cookie read.

use crate::app::App;
use crate::error::ApiError;
use crate::web_session;
use axum::http::{HeaderMap, header};
use plumbline_domain::Actor;
use plumbline_service::accounts::{self, SessionToken, SignedInUser};

/// The token a request presents, if any; a header that is not `Bearer <token>` is refused.
pub fn bearer(headers: &HeaderMap) -> Result<Option<SessionToken>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let token = value
        .to_str()
        .ok()
        .and_then(|text| text.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| is_token_shaped(token))
        .ok_or_else(|| {
            ApiError::not_signed_in("The Authorization header is not a Plumbline bearer token: sign in again")
        })?;
    Ok(Some(SessionToken::from_secret(token.to_owned())))
}

/// The secret a request acts by, and who holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A desktop (or any client of the API) with `Authorization: Bearer`.
    Desktop(SessionToken),
    /// The web portal's page in a browser, by its session cookie.
    Browser(SessionToken),
}

/// Who asks: the bearer token if there is an `Authorization` header (a malformed one is
/// refused, never passed over for the cookie), else the session cookie, else no one.
pub fn caller(headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
    if let Some(token) = bearer(headers)? {
        return Ok(Some(Caller::Desktop(token)));
    }
    Ok(web_session::cookie(headers).map(Caller::Browser))
}

/// A session secret is 64 hex digits: anything else is refused before the store is asked.
pub fn is_token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// The live session behind the request's token or cookie, even one that must still
/// change its temporary password (it may do just that).
pub async fn session(app: &App, headers: &HeaderMap) -> Result<SignedInUser, ApiError> {
    let Some(caller) = caller(headers)? else { return Err(ApiError::not_signed_in("Sign in first")) };
    live_caller(app, &caller).await
}

/// The live session of `caller`: not unknown, expired or revoked (the same answer for
/// each, so a guess learns nothing); a browser's also only while its role may use the web.
pub async fn live_caller(app: &App, caller: &Caller) -> Result<SignedInUser, ApiError> {
    let session = match caller {
        Caller::Desktop(token) => accounts::session_user(app.store(), app.now(), token).await?,
        Caller::Browser(token) => web_session::session_of(app, token).await?,
    };
    let session = session.ok_or_else(|| ApiError::not_signed_in("Your session has ended: sign in again"))?;
    record_user(&session);
    Ok(session)
}

/// Names who asked in the request's span (and so in its log lines).
pub fn record_user(session: &SignedInUser) {
    let span = tracing::Span::current();
    span.record("user", session.actor.user_id.0);
    span.record("role", session.actor.role.as_str());
}

/// Who acts: a live session that has replaced any temporary password.
pub async fn actor(app: &App, headers: &HeaderMap) -> Result<Actor, ApiError> {
    let session = session(app, headers).await?;
    match session.must_change_password {
        true => Err(ApiError::must_change_password()),
        false => Ok(session.actor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn only_a_bearer_token_of_the_right_shape_is_read() {
        assert!(bearer(&HeaderMap::new()).expect("no header").is_none());
        let token = "ab".repeat(32);
        assert_eq!(
            bearer(&with_authorization(&format!("Bearer {token}"))).expect("read"),
            Some(SessionToken::from_secret(token.clone()))
        );
        for wrong in [format!("Basic {token}"), "Bearer short".to_owned(), format!("Bearer {}", "zz".repeat(32))] {
            assert!(bearer(&with_authorization(&wrong)).is_err(), "{wrong}");
        }
    }
}
