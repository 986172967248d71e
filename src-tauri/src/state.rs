//! State managed by Tauri, built before the window opens: the store and the session.
//!
//! The session lives here, in the backend, and every command takes its acting user
//! from it: the webview can call any command with any arguments, so who is acting is
//! never one of them.

use crate::error::to_command_error;
use chrono::{DateTime, Utc};
use plumbline_desktop::RememberedSession;
use plumbline_domain::Actor;
use plumbline_domain::api::{CommandError, ErrorCode};
use plumbline_service::accounts::{self, SessionToken, SignedInUser};
use plumbline_service::api::Handle;
use plumbline_service::{ServiceError, Store, seed};
use std::path::Path;
use std::sync::{PoisonError, RwLock};

pub struct AppState {
    pub store: Store,
    /// The demo agency shows its accounts on the sign-in screen.
    pub demo: bool,
    /// Where "Remember me" keeps this store's session secret.
    pub keyring: RememberedSession,
    session: RwLock<Option<SignedInUser>>,
}

impl AppState {
    /// Opens the store (seeding the demo agency into an empty demo store) and resumes
    /// a session remembered in the OS keyring, if it is still valid.
    pub async fn open(data_dir: &Path, demo: bool) -> Result<Self, ServiceError> {
        let store = Store::open(data_dir).await?;
        if demo && seed::demo_if_empty(&store, Self::now()).await? {
            tracing::info!("seeded the demo agency into {}", store.name());
        }
        let keyring = RememberedSession::for_store(store.name());
        let session = resume_remembered(&store, &keyring).await;
        Ok(Self { store, demo, keyring, session: RwLock::new(session) })
    }

    /// The current instant: the shell is the one place that reads the clock.
    #[allow(clippy::disallowed_methods)]
    pub fn now() -> DateTime<Utc> {
        Utc::now()
    }

    /// The signed-in user who may use the app; refused until someone signs in and has
    /// replaced a temporary password.
    pub fn actor(&self) -> Result<Actor, CommandError> {
        match self.session() {
            Some(session) if !session.must_change_password => Ok(session.actor),
            Some(_) => Err(not_signed_in("Choose a new password before going on")),
            None => Err(not_signed_in("Sign in first")),
        }
    }

    /// Runs `command` as the signed-in user, now. Every command the service handles
    /// goes through here, so this is the one place that decides where it runs.
    pub async fn run<C: Handle>(&self, command: C) -> Result<C::Answer, CommandError> {
        command.handle(&self.store, self.actor()?, Self::now()).await.map_err(to_command_error)
    }

    /// The session, even of a user who must still change their password.
    pub fn signed_in(&self) -> Result<SignedInUser, CommandError> {
        self.session().ok_or_else(|| not_signed_in("Sign in first"))
    }

    pub fn session(&self) -> Option<SignedInUser> {
        self.session.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn set_session(&self, session: Option<SignedInUser>) {
        *self.session.write().unwrap_or_else(PoisonError::into_inner) = session;
    }
}

fn not_signed_in(message: &str) -> CommandError {
    CommandError { code: ErrorCode::NotSignedIn, message: message.to_owned(), field: None }
}

/// A keyring that cannot be read, or a session that has expired or was revoked, just
/// means the sign-in screen: both are logged, neither stops the app.
async fn resume_remembered(store: &Store, keyring: &RememberedSession) -> Option<SignedInUser> {
    let secret = match keyring.load().await {
        Ok(secret) => secret?,
        Err(err) => {
            tracing::warn!("{err}");
            return None;
        }
    };
    match accounts::resume(store, AppState::now(), &SessionToken::from_secret(secret)).await {
        Ok(Some(session)) => Some(session),
        Ok(None) => {
            tracing::info!("the remembered session has ended; signing in again");
            if let Err(err) = keyring.forget().await {
                tracing::warn!("{err}");
            }
            None
        }
        Err(err) => {
            tracing::warn!("could not resume the remembered session: {err}");
            None
        }
    }
}
