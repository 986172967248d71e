//! "Remember me" secrets in the OS keyring: Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows; never in a plain file.
//!
//! The keyring crate's Secret Service backend is blocking (and its async variant
//! panics inside tokio), so every call runs on a blocking thread.

use keyring::Entry;

const SERVICE: &str = "Plumbline";

/// How long a keyring call may take. A desktop whose Secret Service never answers (a
/// session bus without one) would otherwise leave "Signing in…" up for ever.
const KEYRING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the system keyring could not {doing}: {cause}")]
pub struct KeyringError {
    doing: &'static str,
    cause: String,
}

/// What a person is told when "Remember me" could not be kept: what it means for them,
/// not the keyring's own words (`KeyringError`'s, which are logged).
pub const NOT_REMEMBERED: &str = "You are signed in, but this computer's keyring (where Plumbline keeps \
     \"Remember me\") is not available, so you will be asked to sign in again next time.";

/// The keyring entry holding the remembered session for one store, so the demo agency
/// and a real one (or two shared databases) each remember their own sign-in.
///
/// The OS keyring is already per OS user (each user's own Secret Service collection,
/// Keychain or Credential Manager), so people with their own OS accounts never share an
/// entry. People sharing one OS account do: whoever ticked "Remember me" last is who
/// Plumbline opens as, which the sign-in screen says beside the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RememberedSession {
    account: String,
}

impl RememberedSession {
    /// The entry for the store named `store` (`Store::name`: a SQLite file's path as
    /// displayed, or a PostgreSQL server and database). A SQLite store's name is the path
    /// its entry was always keyed by, so existing users stay signed in.
    pub fn for_store(store: &str) -> Self {
        Self { account: format!("session:{store}") }
    }

    /// The entry for the bearer token of `user` (their e-mail address) on the agency
    /// server at `address`: each server and each person on this computer has its own.
    pub fn for_server(address: &str, user: &str) -> Self {
        Self { account: format!("server:{}@{address}", user.trim().to_lowercase()) }
    }

    /// The account name under the "Plumbline" service, as keyring tools show it.
    pub fn account(&self) -> &str {
        &self.account
    }

    pub async fn load(&self) -> Result<Option<String>, KeyringError> {
        self.with_entry("read the remembered sign-in", |entry| match entry.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(err),
        })
        .await
    }

    pub async fn save(&self, secret: &str) -> Result<(), KeyringError> {
        let secret = secret.to_owned();
        self.with_entry("remember the sign-in", move |entry| entry.set_password(&secret)).await
    }

    /// Removes the secret; nothing to remove is not an error.
    pub async fn forget(&self) -> Result<(), KeyringError> {
        self.with_entry("forget the sign-in", |entry| match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(err),
        })
        .await
    }

    async fn with_entry<T: Send + 'static>(
        &self,
        doing: &'static str,
        call: impl FnOnce(&Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, KeyringError> {
        let account = self.account.clone();
        let failed = move |cause: String| KeyringError { doing, cause };
        let blocking =
            tokio::task::spawn_blocking(move || Entry::new(SERVICE, &account).and_then(|entry| call(&entry)));
        tokio::time::timeout(KEYRING_WAIT, blocking)
            .await
            .map_err(|_| failed(format!("no answer within {} s", KEYRING_WAIT.as_secs())))?
            .map_err(|err| failed(err.to_string()))?
            .map_err(|err| failed(err.to_string()))
    }
}

/// The agency's SMTP password, in the keyring of the machine that sends the store's mail
/// (this computer, for its own store): never in a file or the database. Read by the
/// mail sender each time it sends (`plumbline_service::mail::SmtpPassword`), so a new
/// password applies at the next message without a restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpPasswordEntry(RememberedSession);

impl SmtpPasswordEntry {
    /// The entry for the store named `store` (`Store::name`), under "Plumbline" as
    /// `smtp:<store>`: the demo agency and a real one each keep their own.
    pub fn for_store(store: &str) -> Self {
        Self(RememberedSession { account: format!("smtp:{store}") })
    }

    pub fn account(&self) -> &str {
        self.0.account()
    }

    pub async fn load(&self) -> Result<Option<String>, KeyringError> {
        self.0.load().await
    }

    pub async fn save(&self, password: &str) -> Result<(), KeyringError> {
        self.0.save(password).await
    }

    pub async fn forget(&self) -> Result<(), KeyringError> {
        self.0.forget().await
    }
}

impl plumbline_service::mail::SmtpPassword for SmtpPasswordEntry {
    async fn smtp_password(&self) -> anyhow::Result<Option<String>> {
        Ok(self.load().await?)
    }
}
