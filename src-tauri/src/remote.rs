//! An agency server: no agency data on this computer. Every command goes through the one
//! client (`plumbline-client`), the session is the server's bearer token, kept in memory
//! and, with "Remember me", in the OS keyring — never in a file.

use crate::connection::{self, Connection};
use crate::opened::OpenedFolder;
use plumbline_client::{ChangeStream, Client, Granted};
use plumbline_desktop::{NOT_REMEMBERED, RememberedSession};
use plumbline_domain::api::{
    About, Attachment, Certificate, ChangePassword, CommandError, ErrorCode, ServerAbout, SessionStatus, SetUpAgency,
    SignIn, SignedIn,
};
use plumbline_domain::ids::CertificateId;
use plumbline_domain::{AttachmentId, AttachmentKind, Command, WorkOrderId, commands};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// Told whether the server answers, each time that changes, so the window can say so.
pub type Reachability = Arc<dyn Fn(bool) + Send + Sync>;

pub struct Remote {
    client: Client,
    data_dir: PathBuf,
    connection: RwLock<Connection>,
    reachable: AtomicBool,
    on_reachability: Reachability,
    /// Attachments fetched to open in the OS's apps.
    opened: OpenedFolder,
}

impl Remote {
    /// A client for the connection kept in `data_dir`, with the token "Remember me" kept
    /// (if any). Nothing is asked of the server yet: it may be down.
    pub async fn open(
        data_dir: PathBuf,
        connection: Connection,
        on_reachability: Reachability,
    ) -> anyhow::Result<Self> {
        let client = Client::new(&connection.address, &connection.fingerprint)
            .map_err(|err| anyhow::anyhow!("{}", err.message))?;
        if let Some(user) = &connection.remembered {
            match RememberedSession::for_server(client.address(), user).load().await {
                Ok(token) => client.set_token(token),
                Err(err) => tracing::warn!("{err}"),
            }
        }
        let connection = RwLock::new(connection);
        Ok(Self {
            client,
            data_dir,
            connection,
            reachable: AtomicBool::new(true),
            on_reachability,
            opened: OpenedFolder::default(),
        })
    }

    pub fn connection(&self) -> Connection {
        self.connection.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The About box: the server's version and its store's schema beside this build's.
    pub async fn about(&self) -> Result<About, CommandError> {
        let health = self.noted(self.client.health().await)?;
        match (health.version, health.schema_version) {
            (Some(server_version), Some(schema_version)) => Ok(About {
                version: env!("CARGO_PKG_VERSION").to_owned(),
                schema_version,
                server: Some(ServerAbout { address: self.client.address().to_owned(), version: server_version }),
            }),
            _ => Err(CommandError {
                code: ErrorCode::Internal,
                message: "The agency server answers, but its database does not: ask whoever runs the server.".into(),
                field: None,
            }),
        }
    }

    /// Runs `command` on the server; a server that cannot be reached refuses it clearly
    /// (nothing is queued to send later, so nothing is lost silently).
    pub async fn run<C: Command>(&self, command: &C) -> Result<C::Answer, CommandError> {
        self.call_for(command).await
    }

    /// Runs the command called `name` on the server; its answer, in the bytes the page
    /// reads, is passed on unread.
    pub async fn run_for_page(&self, name: &str, args: &serde_json::Value) -> Result<Vec<u8>, CommandError> {
        self.noted(self.client.call_for_page(name, args).await)
    }

    async fn call_for<C: Command, A: serde::de::DeserializeOwned>(&self, command: &C) -> Result<A, CommandError> {
        self.noted(self.client.call_for(command).await)
    }

    /// Passes `answer` through, telling the window when the server's reachability changed.
    fn noted<A>(&self, answer: Result<A, CommandError>) -> Result<A, CommandError> {
        let reachable = !matches!(&answer, Err(err) if err.code == ErrorCode::Ipc);
        if self.reachable.swap(reachable, Ordering::Relaxed) != reachable {
            (self.on_reachability)(reachable);
        }
        answer
    }

    /// The server's stream of changes this user may see, from just after `after` (or
    /// from now); it ends when the connection drops.
    pub async fn changes(&self, after: Option<i64>) -> Result<ChangeStream, CommandError> {
        self.noted(self.client.changes(after).await)
    }

    /// Sends the chosen files to the server, which checks and attaches them.
    pub async fn upload(
        &self,
        order: WorkOrderId,
        kind: AttachmentKind,
        paths: &[PathBuf],
    ) -> Result<Vec<Attachment>, CommandError> {
        self.noted(self.client.upload(order, kind, paths).await)
    }

    /// Fetches the attachment's file into the private folder, to open it there, named
    /// for what its content is.
    pub async fn download(&self, id: AttachmentId) -> Result<PathBuf, CommandError> {
        let folder = self.opened.path()?;
        self.noted(self.client.download(id, &folder).await)
    }

    /// Sends the chosen file to the server, which checks and keeps it as the certificate's.
    pub async fn upload_certificate_file(&self, id: CertificateId, path: &Path) -> Result<Certificate, CommandError> {
        self.noted(self.client.upload_certificate_file(id, path).await)
    }

    /// Fetches the certificate's file into the private folder, to open it there.
    pub async fn download_certificate_file(&self, id: CertificateId) -> Result<PathBuf, CommandError> {
        let folder = self.opened.path()?;
        self.noted(self.client.download_certificate_file(id, &folder).await)
    }

    pub async fn status(&self) -> Result<SessionStatus, CommandError> {
        if self.client.token().is_some() {
            match self.run(&commands::Session {}).await {
                Err(err) if err.code == ErrorCode::NotSignedIn => {
                    tracing::info!("the server session has ended; signing in again");
                    self.forget_token().await;
                }
                answer => return answer,
            }
        }
        self.run(&commands::Session {}).await
    }

    pub async fn sign_in(&self, request: SignIn) -> Result<SignedIn, CommandError> {
        let remember = request.remember;
        let granted: Granted = self.call_for(&commands::SignIn { request }).await?;
        // Whoever was remembered on this computer before is not any more.
        self.forget_token().await;
        self.client.set_token(Some(granted.token.clone()));
        let mut signed_in = granted.signed_in;
        if remember && let Err(problem) = self.remember(&signed_in.user.email, &granted.token).await {
            tracing::warn!("{problem}");
            signed_in.keyring_problem = Some(NOT_REMEMBERED.to_owned());
        }
        Ok(signed_in)
    }

    pub async fn sign_out(&self) -> Result<(), CommandError> {
        let told = self.run(&commands::SignOut {}).await;
        self.forget_token().await;
        match told {
            Err(err) if err.code != ErrorCode::NotSignedIn => {
                // Signed out here all the same; the server's session runs out by itself.
                tracing::warn!("the server was not told of the sign-out: {}", err.message);
                Ok(())
            }
            Ok(()) | Err(_) => Ok(()),
        }
    }

    pub async fn change_password(&self, request: ChangePassword) -> Result<SignedIn, CommandError> {
        self.run(&commands::ChangePassword { request }).await
    }

    pub async fn set_up_agency(&self, request: SetUpAgency) -> Result<SignedIn, CommandError> {
        let granted: Granted = self.call_for(&commands::SetUpAgency { request }).await?;
        self.client.set_token(Some(granted.token));
        Ok(granted.signed_in)
    }

    async fn remember(&self, email: &str, token: &str) -> Result<(), String> {
        RememberedSession::for_server(self.client.address(), email).save(token).await.map_err(|err| err.to_string())?;
        self.set_remembered(Some(email.to_owned())).map_err(|err| format!("the connection could not be saved: {err}"))
    }

    /// Drops the token from memory and from the keyring.
    async fn forget_token(&self) {
        self.client.set_token(None);
        let remembered = self.connection.read().unwrap_or_else(PoisonError::into_inner).remembered.clone();
        let Some(user) = remembered else { return };
        if let Err(err) = RememberedSession::for_server(self.client.address(), &user).forget().await {
            tracing::warn!("{err}");
        }
        if let Err(err) = self.set_remembered(None) {
            tracing::warn!("the connection could not be saved: {err}");
        }
    }

    fn set_remembered(&self, user: Option<String>) -> std::io::Result<()> {
        let mut connection = self.connection.write().unwrap_or_else(PoisonError::into_inner);
        connection.remembered = user;
        connection::save(&self.data_dir, &connection)
    }
}
