//! The use cases' error: what the user should read, apart from what went wrong inside.

use plumbline_domain::api::{CommandError, ErrorCode, Field};
use plumbline_domain::lifecycle::TransitionError;
use plumbline_domain::payment::PayoutRefusal;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{what} was not found")]
    NotFound { what: String },
    #[error("{0}")]
    NotAllowed(String),
    #[error(transparent)]
    InvalidTransition(#[from] TransitionError),
    /// A payout the order's state does not allow (not closed, no invoice, already paid).
    #[error(transparent)]
    PayoutRefused(#[from] PayoutRefusal),
    #[error("{message}")]
    Validation { field: Field, message: String },
    #[error("this work order was changed by someone else meanwhile; it has been reloaded, try again")]
    Conflict,
    /// Unexpected: a database or IO failure. Logged with its cause; shown generically.
    #[error("something went wrong inside Plumbline")]
    Internal(#[from] anyhow::Error),
}

impl ServiceError {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    pub fn validation(field: Field, message: impl Into<String>) -> Self {
        Self::Validation { field, message: message.into() }
    }
}

impl From<ServiceError> for CommandError {
    /// The error every caller shows — the desktop's Tauri commands and the agency
    /// server's routes alike: what the user should read, and a code the UI branches on.
    fn from(err: ServiceError) -> Self {
        let (code, field) = match &err {
            ServiceError::NotFound { .. } => (ErrorCode::NotFound, None),
            ServiceError::NotAllowed(_) => (ErrorCode::NotAllowed, None),
            // A step that is never this person's is a permission refusal, not a timing one.
            ServiceError::InvalidTransition(TransitionError::NotYourAction { .. }) => (ErrorCode::NotAllowed, None),
            ServiceError::InvalidTransition(_) | ServiceError::PayoutRefused(_) => (ErrorCode::InvalidTransition, None),
            ServiceError::Validation { field, .. } => (ErrorCode::Validation, Some(*field)),
            ServiceError::Conflict => (ErrorCode::Conflict, None),
            ServiceError::Internal(cause) => {
                // The cause chain is for the log; the person sees the generic message.
                tracing::error!("internal error: {cause:#}");
                (ErrorCode::Internal, None)
            }
        };
        CommandError { code, message: capitalise(&err.to_string()), field }
    }
}

/// A message as a sentence: its first letter upper-case, unless it starts with a file's
/// name ("notes.txt is not…"), which stays as the person named it.
pub fn capitalise(message: &str) -> String {
    let first_word = message.split_whitespace().next().unwrap_or_default();
    if first_word.trim_end_matches(['.', ',', ':']).contains('.') {
        return message.to_owned();
    }
    let mut chars = message.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl From<sqlx::Error> for ServiceError {
    /// PostgreSQL gives up a transaction that met another (a serialisation failure, a
    /// deadlock) and says so: that is the user's "changed meanwhile, try again".
    fn from(err: sqlx::Error) -> Self {
        let gave_way = err
            .as_database_error()
            .and_then(|db| db.code())
            .is_some_and(|code| code == POSTGRES_SERIALIZATION_FAILURE || code == POSTGRES_DEADLOCK_DETECTED);
        if gave_way { Self::Conflict } else { Self::Internal(err.into()) }
    }
}

const POSTGRES_SERIALIZATION_FAILURE: &str = "40001";
const POSTGRES_DEADLOCK_DETECTED: &str = "40P01";

impl From<sqlx::migrate::MigrateError> for ServiceError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Self::Internal(err.into())
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::capitalise;

    #[test]
    fn a_message_starts_with_a_capital_but_a_file_keeps_its_name() {
        assert_eq!(capitalise("only staff may do that."), "Only staff may do that.");
        assert_eq!(capitalise("notes.txt is not an image"), "notes.txt is not an image");
        assert_eq!(capitalise("invoice.final.pdf: too big"), "invoice.final.pdf: too big");
        assert_eq!(capitalise(""), "");
    }
}
