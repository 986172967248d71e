//! The server's errors: the desktop's `{code, message, field}` body with the HTTP status
//! that says the same to anything between the desktop and the server.
//!
//! 401 means the token is missing, unknown, expired or revoked: sign in again. A session
//! whose temporary password must still be replaced gets 403 with `not_signed_in`, so a
//! client keeps its token for `change_password`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use plumbline_domain::api::{CommandError, ErrorCode};
use plumbline_service::ServiceError;
use plumbline_service::api::DispatchError;
use std::time::Duration;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    error: CommandError,
    /// For 429: how long until trying again may work.
    retry_after: Option<Duration>,
}

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { status, error: CommandError { code, message: message.into(), field: None }, retry_after: None }
    }

    /// A body that is not the command's arguments: bad JSON, a missing or unknown field.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::Validation, message)
    }

    pub fn too_large(limit_bytes: usize) -> Self {
        let message = format!("The request is larger than the server accepts ({})", size(limit_bytes));
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::Validation, message)
    }

    /// No usable session: the token is missing, unknown, expired or revoked.
    pub fn not_signed_in(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::NotSignedIn, message)
    }

    /// A live session that must replace its temporary password before anything else.
    pub fn must_change_password() -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::NotSignedIn, "Choose a new password before going on")
    }

    pub fn rate_limited(message: impl Into<String>, retry_after: Duration) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, ErrorCode::NotAllowed, message)
        }
    }

    /// Refused whoever asks this way: a browser without the page's token, a role the
    /// agency keeps off the web portal.
    pub fn not_allowed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::NotAllowed, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// Something on the server failed (a file, the disk): logged in full, told briefly.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!("{detail}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, "Something went wrong on the agency server")
    }
}

impl From<CommandError> for ApiError {
    fn from(error: CommandError) -> Self {
        Self { status: status_of(error.code), error, retry_after: None }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        CommandError::from(error).into()
    }
}

impl From<DispatchError> for ApiError {
    fn from(error: DispatchError) -> Self {
        CommandError::from(error).into()
    }
}

/// The status that goes with each code the service answers with.
fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Validation => StatusCode::BAD_REQUEST,
        ErrorCode::NotSignedIn => StatusCode::UNAUTHORIZED,
        ErrorCode::NotAllowed => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        // The order is not in a state for that step: the request conflicts with it.
        ErrorCode::InvalidTransition | ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::Internal | ErrorCode::Ipc => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.error)).into_response();
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_secs().max(1);
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// "1 MiB", "512 KiB": a limit as a person reads it.
fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(size(1 << 20), "1 MiB");
        assert_eq!(size(16 << 20), "16 MiB");
        assert_eq!(size(1536), "1 KiB");
        assert_eq!(size(100), "100 bytes");
    }

    #[test]
    fn each_code_has_its_status() {
        assert_eq!(status_of(ErrorCode::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(status_of(ErrorCode::Conflict), StatusCode::CONFLICT);
        assert_eq!(status_of(ErrorCode::NotAllowed), StatusCode::FORBIDDEN);
    }
}
