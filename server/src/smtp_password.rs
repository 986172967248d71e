//! The agency's SMTP password on the server: in the OS keyring of the machine the server
//! runs on (Secret Service, Keychain, Credential Manager), never in its files or the
//! database. Set by an admin through `set_smtp_password`; read by the mail sender at each
//! run that has mail to send (`plumbline_service::mail::SmtpPassword`). A machine without
//! a keyring makes the outbox wait, its error saying why.
//!
//! The keyring crate's Secret Service backend is blocking, so every call runs on a
//! blocking thread, with a timeout in case the keyring never answers.

use keyring::Entry;
use std::time::Duration;

const SERVICE: &str = "Plumbline";
const KEYRING_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpPasswordEntry {
    account: String,
}

impl SmtpPasswordEntry {
    /// The entry for the store named `store` (`Store::name`), as the desktop names its own.
    pub fn for_store(store: &str) -> Self {
        Self { account: format!("smtp:{store}") }
    }

    pub async fn load(&self) -> anyhow::Result<Option<String>> {
        self.call(|entry| match entry.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(err),
        })
        .await
    }

    /// Keeps `password`, or forgets the kept one when it is `None`.
    pub async fn keep(&self, password: Option<&str>) -> anyhow::Result<()> {
        let password = password.map(str::to_owned);
        self.call(move |entry| match password {
            Some(password) => entry.set_password(&password),
            None => match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(err) => Err(err),
            },
        })
        .await
    }

    async fn call<T: Send + 'static>(
        &self,
        call: impl FnOnce(&Entry) -> keyring::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let account = self.account.clone();
        let blocking =
            tokio::task::spawn_blocking(move || Entry::new(SERVICE, &account).and_then(|entry| call(&entry)));
        let answer = tokio::time::timeout(KEYRING_WAIT, blocking)
            .await
            .map_err(|_| anyhow::anyhow!("the system keyring gave no answer within {} s", KEYRING_WAIT.as_secs()))??;
        answer.map_err(|err| anyhow::anyhow!("the system keyring: {err}"))
    }
}

impl plumbline_service::mail::SmtpPassword for SmtpPasswordEntry {
    async fn smtp_password(&self) -> anyhow::Result<Option<String>> {
        self.load().await
    }
}
