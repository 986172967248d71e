//! State managed by Tauri, built before the window opens: where commands run (this
//! computer's store or an agency server) and the session.
//!
//! The session lives here, in the backend, and every command takes its acting user
//! from it: the webview can call any command with any arguments, so who is acting is
//! never one of them. The webview does not know which backend answers.

use crate::connection::{self, Connection};
use crate::local::Local;
use crate::remote::{Reachability, Remote};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{
    self, Attachment, Certificate, ChangePassword, CommandError, ErrorCode, ImportFile, ImportProgress, ImportReport,
    SessionStatus, SetUpAgency, SignIn, SignedIn, TestEmailSent,
};
use plumbline_domain::commands;
use plumbline_domain::ids::CertificateId;
use plumbline_domain::{AttachmentId, AttachmentKind, WorkOrderId};
use plumbline_service::api::Handle;
use plumbline_service::backup::RestoredStore;
use plumbline_service::store::DATABASE_FILE;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

pub struct AppState {
    data_dir: PathBuf,
    demo: bool,
    on_reachability: Reachability,
    /// `None` on a new computer until it needs a store: choosing an agency server first
    /// then leaves no database behind.
    backend: RwLock<Option<Backend>>,
    /// One change of backend at a time.
    switching: tokio::sync::Mutex<()>,
    /// Moves on each sign-in, sign-out and change of backend, so the live follower
    /// (`live.rs`) starts again for whoever is now signed in, wherever.
    sessions: tokio::sync::watch::Sender<u64>,
    /// A backup unpacked and checked beside the store, until the admin confirms or
    /// cancels restoring it (`backups.rs`).
    restoring: tokio::sync::Mutex<Option<RestoredStore>>,
}

/// Where commands run.
#[derive(Clone)]
pub enum Backend {
    /// This computer's own store.
    Local(Arc<Local>),
    /// An agency server (`connection.json` in the data directory): no store is opened.
    Server(Arc<Remote>),
}

impl AppState {
    /// An agency server if the data directory names one, else this computer's store if
    /// it has one (or is the demo's).
    pub async fn open(data_dir: PathBuf, demo: bool, on_reachability: Reachability) -> anyhow::Result<Self> {
        let backend = match connection::load(&data_dir)? {
            Some(connection) => {
                tracing::info!("using the agency server at {}", connection.address);
                Some(Backend::Server(Arc::new(
                    Remote::open(data_dir.clone(), connection, on_reachability.clone()).await?,
                )))
            }
            None if demo || data_dir.join(DATABASE_FILE).exists() => {
                Some(Backend::Local(Arc::new(Local::open(&data_dir, demo).await?)))
            }
            None => None,
        };
        let backend = RwLock::new(backend);
        let (sessions, _) = tokio::sync::watch::channel(0);
        let (switching, restoring) = (tokio::sync::Mutex::new(()), tokio::sync::Mutex::new(None));
        Ok(Self { data_dir, demo, on_reachability, backend, switching, sessions, restoring })
    }

    /// The current instant: the shell is the one place that reads the clock.
    #[allow(clippy::disallowed_methods)]
    pub fn now() -> DateTime<Utc> {
        Utc::now()
    }

    /// Tells the live follower who is signed in where.
    pub fn sessions(&self) -> tokio::sync::watch::Receiver<u64> {
        self.sessions.subscribe()
    }

    fn session_changed(&self) {
        self.sessions.send_modify(|generation| *generation += 1);
    }

    /// Passes `answer` through, telling the live follower when it succeeded.
    fn after_session<T>(&self, answer: Result<T, CommandError>) -> Result<T, CommandError> {
        if answer.is_ok() {
            self.session_changed();
        }
        answer
    }

    /// Where commands run now, if anywhere yet.
    pub fn backend(&self) -> Option<Backend> {
        self.backend.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set(&self, backend: Backend) {
        *self.backend.write().unwrap_or_else(PoisonError::into_inner) = Some(backend);
    }

    /// What the About box shows: this build, and the schema of the store it works on
    /// (the agency server's, with the server's version, when connected to one).
    pub async fn about(&self) -> Result<api::About, CommandError> {
        match self.active().await? {
            Backend::Local(local) => {
                let schema_version =
                    local.store.applied_schema_version().await.map_err(crate::error::to_command_error)?;
                Ok(api::About { version: env!("CARGO_PKG_VERSION").to_owned(), schema_version, server: None })
            }
            Backend::Server(remote) => remote.about().await,
        }
    }

    /// Where commands run now; on a new computer, its store, opened now.
    async fn active(&self) -> Result<Backend, CommandError> {
        if let Some(backend) = self.backend() {
            return Ok(backend);
        }
        let _switching = self.switching.lock().await;
        match self.backend() {
            Some(backend) => Ok(backend),
            None => self.open_local().await,
        }
    }

    async fn open_local(&self) -> Result<Backend, CommandError> {
        let local = Local::open(&self.data_dir, self.demo).await.map_err(crate::error::to_command_error)?;
        let backend = Backend::Local(Arc::new(local));
        self.set(backend.clone());
        Ok(backend)
    }

    /// This computer's store, for what only it has (files on disk, the watcher).
    pub fn local(&self) -> Option<Arc<Local>> {
        match self.backend() {
            Some(Backend::Local(local)) => Some(local),
            Some(Backend::Server(_)) | None => None,
        }
    }

    /// This computer's store (opened now on a new computer), or `None` on an agency server.
    pub async fn active_local(&self) -> Result<Option<Arc<Local>>, CommandError> {
        match self.active().await? {
            Backend::Local(local) => Ok(Some(local)),
            Backend::Server(_) => Ok(None),
        }
    }

    /// Runs the command called `name` (one of the service's, `api::HANDLED`) with the
    /// page's JSON arguments as the signed-in user, now, and answers the bytes the page
    /// reads (`plumbline_domain::wire`). This is the one place that decides where the
    /// page's commands run: this computer's store, or the agency server, whose answer is
    /// passed on unread.
    pub async fn run_for_page(&self, name: &str, args: serde_json::Value) -> Result<Vec<u8>, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.run_for_page(name, args).await,
            Backend::Server(remote) => remote.run_for_page(name, &args).await,
        }
    }

    /// Runs `command` as the signed-in user, now, where `run_for_page` would: for the
    /// shell's own commands that need a service command's answer first.
    pub async fn run<C: Handle>(&self, command: C) -> Result<C::Answer, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.run(command).await,
            Backend::Server(remote) => remote.run(&command).await,
        }
    }

    /// Keeps the SMTP password where the store's mail is sent from: this computer's
    /// keyring for its own store, the agency server's for the agency's.
    pub async fn set_smtp_password(&self, password: String) -> Result<(), CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.set_smtp_password(&password).await,
            Backend::Server(remote) => remote.run(&commands::SetSmtpPassword { password }).await,
        }
    }

    /// Sends a test e-mail from where the store's mail is sent.
    pub async fn send_test_email(&self) -> Result<TestEmailSent, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.send_test_email().await,
            Backend::Server(remote) => remote.run(&commands::SendTestEmail {}).await,
        }
    }

    /// Attaches files chosen on this computer: copied into its store, or sent to the
    /// agency server.
    pub async fn attach(
        &self,
        order: WorkOrderId,
        kind: AttachmentKind,
        paths: &[PathBuf],
    ) -> Result<Vec<Attachment>, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.attach(order, kind, paths).await,
            Backend::Server(remote) => remote.upload(order, kind, paths).await,
        }
    }

    /// Imports a CSV file: on this computer's store with its progress reported as it
    /// goes, or on the agency server (which reports none).
    pub async fn import(
        &self,
        file: ImportFile,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportReport, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.import(&file, progress).await,
            Backend::Server(remote) => remote.run(&commands::RunImport { file }).await,
        }
    }

    /// An attachment as a file on this computer, for the OS to open: the stored file, or
    /// a copy fetched from the agency server.
    pub async fn attachment_file(&self, id: AttachmentId) -> Result<PathBuf, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.attachment_file(id).await,
            Backend::Server(remote) => remote.download(id).await,
        }
    }

    /// Keeps a file chosen on this computer as the certificate's: copied into its store,
    /// or sent to the agency server.
    pub async fn attach_certificate_file(&self, id: CertificateId, path: &Path) -> Result<Certificate, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.attach_certificate_file(id, path).await,
            Backend::Server(remote) => remote.upload_certificate_file(id, path).await,
        }
    }

    /// The certificate's file on this computer, for the OS to open.
    pub async fn certificate_file(&self, id: CertificateId) -> Result<PathBuf, CommandError> {
        match self.active().await? {
            Backend::Local(local) => local.certificate_file(id).await,
            Backend::Server(remote) => remote.download_certificate_file(id).await,
        }
    }

    pub async fn session_status(&self) -> Result<SessionStatus, CommandError> {
        match self.backend() {
            // What a new store would answer, without making one.
            None => Ok(SessionStatus::SetupNeeded),
            Some(Backend::Local(local)) => local.status().await,
            Some(Backend::Server(remote)) => remote.status().await,
        }
    }

    pub async fn sign_in(&self, request: SignIn) -> Result<SignedIn, CommandError> {
        let answer = match self.active().await? {
            Backend::Local(local) => local.sign_in(request).await,
            Backend::Server(remote) => remote.sign_in(request).await,
        };
        self.after_session(answer)
    }

    pub async fn sign_out(&self) -> Result<(), CommandError> {
        let answer = match self.backend() {
            None => Ok(()),
            Some(Backend::Local(local)) => local.sign_out().await,
            Some(Backend::Server(remote)) => remote.sign_out().await,
        };
        self.after_session(answer)
    }

    pub async fn change_password(&self, request: ChangePassword) -> Result<SignedIn, CommandError> {
        let answer = match self.active().await? {
            Backend::Local(local) => local.change_password(request).await,
            Backend::Server(remote) => remote.change_password(request).await,
        };
        self.after_session(answer)
    }

    pub async fn set_up_agency(&self, request: SetUpAgency) -> Result<SignedIn, CommandError> {
        let answer = match self.active().await? {
            Backend::Local(local) => local.set_up_agency(request).await,
            Backend::Server(remote) => remote.set_up_agency(request).await,
        };
        self.after_session(answer)
    }

    pub fn connection(&self) -> api::Connection {
        match self.backend() {
            Some(Backend::Server(remote)) => {
                let Connection { address, fingerprint, .. } = remote.connection();
                api::Connection::Server { address, fingerprint }
            }
            Some(Backend::Local(_)) | None => api::Connection::ThisComputer,
        }
    }

    /// Pins `fingerprint` for the server at `address` and uses it from now on, once it
    /// has answered through the pin; a server that does not leaves everything as it was.
    pub async fn use_server(&self, address: &str, fingerprint: &str) -> Result<SessionStatus, CommandError> {
        let _switching = self.switching.lock().await;
        let address = plumbline_client::normalise_address(address)?;
        let connection = Connection { address, fingerprint: fingerprint.trim().to_owned(), remembered: None };
        let remote = Remote::open(self.data_dir.clone(), connection.clone(), self.on_reachability.clone())
            .await
            .map_err(|err| internal(format!("{err:#}")))?;
        let status = remote.status().await?;
        connection::save(&self.data_dir, &connection)
            .map_err(|err| internal(format!("The connection could not be saved: {err}")))?;
        self.sign_out_of_previous().await;
        self.set(Backend::Server(Arc::new(remote)));
        self.session_changed();
        Ok(status)
    }

    /// Uses this computer's store from now on (opening it, made new if there is none).
    pub async fn use_this_computer(&self) -> Result<SessionStatus, CommandError> {
        let _switching = self.switching.lock().await;
        if let Some(Backend::Local(local)) = self.backend() {
            return local.status().await;
        }
        self.sign_out_of_previous().await;
        connection::forget(&self.data_dir)
            .map_err(|err| internal(format!("The agency server's connection could not be removed: {err}")))?;
        let status = match self.open_local().await? {
            Backend::Local(local) => local.status().await,
            Backend::Server(remote) => remote.status().await,
        };
        self.session_changed();
        status
    }

    /// The directory this computer's store is in (the demo's own, with `--demo`).
    pub fn store_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// The backup waiting for the admin's confirmation (`backups.rs`).
    pub fn restoring(&self) -> &tokio::sync::Mutex<Option<RestoredStore>> {
        &self.restoring
    }

    /// Replaces this computer's store: closes it, lets `swap` move the files (it puts
    /// them back itself if it fails), and opens what is then in the data directory.
    /// Everyone signs in again, on the store now in use.
    pub async fn replace_local_store(
        &self,
        swap: impl FnOnce() -> Result<(), CommandError>,
    ) -> Result<SessionStatus, CommandError> {
        let _switching = self.switching.lock().await;
        let Some(Backend::Local(old)) = self.backend() else {
            return Err(internal("This computer is not using its own store now".into()));
        };
        old.store.close().await;
        let swapped = swap();
        // Whichever store is in place now, the old one or the restored one, is opened.
        let reopened = self.open_local().await;
        self.session_changed();
        swapped?;
        match reopened? {
            Backend::Local(local) => local.status().await,
            Backend::Server(remote) => remote.status().await,
        }
    }

    /// Leaving a server ends its session there and forgets its token.
    async fn sign_out_of_previous(&self) {
        if let Some(Backend::Server(remote)) = self.backend()
            && let Err(err) = remote.sign_out().await
        {
            tracing::warn!("signing out of the agency server: {}", err.message);
        }
    }
}

/// What a command is told once its session has ended.
pub const SESSION_ENDED: &str = "Your session has ended: sign in again";

pub fn not_signed_in(message: &str) -> CommandError {
    CommandError { code: ErrorCode::NotSignedIn, message: message.to_owned(), field: None }
}

fn internal(message: String) -> CommandError {
    CommandError { code: ErrorCode::Internal, message, field: None }
}
