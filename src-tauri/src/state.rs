//! State managed by Tauri, built before the window opens.

use chrono::{DateTime, Utc};
use plumbline_domain::Actor;
use plumbline_service::{ServiceError, Store, seed, users};
use std::path::Path;

pub struct AppState {
    pub store: Store,
    /// The signed-in user. Until sign-in exists, the desk runs as the first staff member.
    actor: Actor,
}

impl AppState {
    /// Opens the store, seeding the demo agency into an empty one.
    pub async fn open(data_dir: &Path) -> Result<Self, ServiceError> {
        let store = Store::open(data_dir).await?;
        if seed::demo_if_empty(&store, Self::now()).await? {
            tracing::info!("seeded the demo agency into {}", store.path().display());
        }
        let actor = users::first_staff(&store).await?;
        Ok(Self { store, actor })
    }

    /// The current instant: the shell is the one place that reads the clock.
    #[allow(clippy::disallowed_methods)]
    pub fn now() -> DateTime<Utc> {
        Utc::now()
    }

    /// The acting user, always taken from the backend's session, never from the webview.
    pub fn actor(&self) -> Actor {
        self.actor
    }
}
