//! Maps use-case errors to the IPC error `{code, message, field}`.

use plumbline_domain::api::{CommandError, ErrorCode};
use plumbline_domain::lifecycle::TransitionError;
use plumbline_service::ServiceError;

pub fn to_command_error(err: ServiceError) -> CommandError {
    let (code, field) = match &err {
        ServiceError::NotFound { .. } => (ErrorCode::NotFound, None),
        ServiceError::NotAllowed(_) => (ErrorCode::NotAllowed, None),
        // A step that is never this person's is a permission refusal, not a timing one.
        ServiceError::InvalidTransition(TransitionError::NotYourAction { .. }) => (ErrorCode::NotAllowed, None),
        ServiceError::InvalidTransition(_) | ServiceError::PayoutRefused(_) => (ErrorCode::InvalidTransition, None),
        ServiceError::Validation { field, .. } => (ErrorCode::Validation, Some((*field).to_owned())),
        ServiceError::Conflict => (ErrorCode::Conflict, None),
        ServiceError::Internal(cause) => {
            // The cause chain is for the log; the person sees the generic message.
            tracing::error!("internal error: {cause:#}");
            (ErrorCode::Internal, None)
        }
    };
    CommandError { code, message: capitalise(&err.to_string()), field }
}

/// A desktop integration that failed (no dialog, no app for the file): the person
/// reads what failed; nothing in the store changed.
pub fn desktop_error(err: impl std::fmt::Display) -> CommandError {
    tracing::warn!("{err}");
    CommandError { code: ErrorCode::Internal, message: capitalise(&err.to_string()), field: None }
}

fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
