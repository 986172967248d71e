//! Errors as the webview reads them, `{code, message, field}`: a use case's through the
//! service's one mapping (the agency server uses the same), a desktop integration's here.

use plumbline_domain::api::{CommandError, ErrorCode};
use plumbline_service::ServiceError;
use plumbline_service::error::capitalise;

pub fn to_command_error(err: ServiceError) -> CommandError {
    CommandError::from(err)
}

/// A desktop integration that failed (no dialog, no app for the file): the person
/// reads what failed; nothing in the store changed.
pub fn desktop_error(err: impl std::fmt::Display) -> CommandError {
    tracing::warn!("{err}");
    CommandError { code: ErrorCode::Internal, message: capitalise(&err.to_string()), field: None }
}
