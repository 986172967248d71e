//! Plumbline's desktop integrations. Each talks to a real OS service, so each is
//! wrapped here behind a small async API that the shell calls and tests exercise
//! against the real service (see `scripts/with-desktop-session.sh`).

pub mod keyring_secrets;

pub use keyring_secrets::{KeyringError, RememberedSession};
