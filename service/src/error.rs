//! The use cases' error: what the user should read, apart from what went wrong inside.

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
    Validation { field: &'static str, message: String },
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

    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation { field, message: message.into() }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(err: sqlx::Error) -> Self {
        Self::Internal(err.into())
    }
}

impl From<sqlx::migrate::MigrateError> for ServiceError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Self::Internal(err.into())
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
