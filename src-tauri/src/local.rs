//! This computer's own store: the embedded database, the session in memory, and "Remember
//! me" in the OS keyring.

use crate::error::to_command_error;
use crate::opened::OpenedFolder;
use crate::state::{AppState, SESSION_ENDED, not_signed_in};
use chrono::{DateTime, Utc};
use plumbline_desktop::{NOT_REMEMBERED, RememberedSession, SmtpPasswordEntry};
use plumbline_domain::api::{
    Attachment, Certificate, ChangePassword, CommandError, ErrorCode, Field, ImportFile, ImportProgress, ImportReport,
    SessionStatus, SetUpAgency, SignIn, SignedIn, TestEmailSent,
};
use plumbline_domain::ids::CertificateId;
use plumbline_domain::{Actor, AttachmentId, AttachmentKind, WorkOrderId};
use plumbline_service::accounts::{self, Lasting, SessionToken, SignedInUser};
use plumbline_service::api::{self, Handle};
use plumbline_service::{ServiceError, Store, attachments, compliance, import, mail, seed, users};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use tokio::sync::watch;

pub struct Local {
    pub store: Store,
    /// The demo agency shows its accounts on the sign-in screen.
    demo: bool,
    /// Where "Remember me" keeps this store's session secret.
    keyring: RememberedSession,
    session: Arc<RwLock<Option<SignedInUser>>>,
    /// True once the remembered session has been looked for. That happens in the
    /// background, so a slow or locked keyring never holds the window back; the session
    /// commands wait for it (the window shows "Loading…" meanwhile), at most the
    /// keyring's own timeout.
    resumed: watch::Receiver<bool>,
    /// Copies of attachments to open in the OS's apps.
    opened: OpenedFolder,
}

impl Local {
    /// Opens the store (seeding the demo agency into an empty demo store) and resumes
    /// a session remembered in the OS keyring, if it is still valid.
    pub async fn open(data_dir: &Path, demo: bool) -> Result<Self, ServiceError> {
        let store = Store::open(data_dir).await?;
        if demo && seed::demo_if_empty(&store, AppState::now()).await? {
            tracing::info!("seeded the demo agency into {}", store.name());
        }
        // Keyed by the store only; the keyring itself is per OS user (see `RememberedSession`).
        let keyring = RememberedSession::for_store(store.name());
        let session = Arc::new(RwLock::new(None));
        let (done, resumed) = watch::channel(false);
        tokio::spawn({
            let (store, keyring, session) = (store.clone(), keyring.clone(), Arc::clone(&session));
            async move {
                let found = resume_remembered(&store, &keyring).await;
                let mut held = session.write().unwrap_or_else(PoisonError::into_inner);
                // Someone who signed in meanwhile stays signed in.
                if held.is_none() {
                    *held = found;
                }
                drop(held);
                let _ = done.send(true);
            }
        });
        Ok(Self { store, demo, keyring, session, resumed, opened: OpenedFolder::default() })
    }

    /// Waits until the remembered session has been looked for.
    async fn resumed(&self) {
        let mut resumed = self.resumed.clone();
        // An error means the task ended without saying so: nothing more to wait for.
        let _ = resumed.wait_for(|done| *done).await;
    }

    /// The signed-in user who may use the app, asked of the store again: refused until
    /// someone signs in and has replaced a temporary password, and once the session has
    /// ended (signed out elsewhere, password changed or reset, deactivated, idle).
    pub async fn actor(&self) -> Result<Actor, CommandError> {
        let session = self.live_session().await?;
        match session.must_change_password {
            false => Ok(session.actor),
            true => Err(not_signed_in("Choose a new password before going on")),
        }
    }

    /// The held session if the store says it is still live; an ended one is dropped
    /// here, and forgotten by the keyring, so the next screen is the sign-in.
    async fn live_session(&self) -> Result<SignedInUser, CommandError> {
        self.resumed().await;
        let Some(held) = self.session() else { return Err(not_signed_in("Sign in first")) };
        let live = match &held.token {
            Some(token) => {
                accounts::session_user(&self.store, AppState::now(), token).await.map_err(to_command_error)?
            }
            None => None,
        };
        match live {
            Some(live) => Ok(SignedInUser { since: held.since, ..live }),
            None => {
                self.set_session(None);
                if let Err(problem) = self.keyring.forget().await {
                    tracing::warn!("{problem}");
                }
                Err(not_signed_in(SESSION_ENDED))
            }
        }
    }

    pub async fn run<C: Handle>(&self, command: C) -> Result<C::Answer, CommandError> {
        api::execute(command, &self.store, self.actor().await?, AppState::now()).await.map_err(to_command_error)
    }

    /// Runs the command called `name` as the agency server would (the same dispatch),
    /// and answers the bytes the page reads.
    pub async fn run_for_page(&self, name: &str, args: serde_json::Value) -> Result<Vec<u8>, CommandError> {
        let actor = self.actor().await?;
        let format = api::AnswerFormat::Bytes;
        api::dispatch_as(format, &self.store, actor, AppState::now(), name, args).await.map_err(CommandError::from)
    }

    /// Where this store's SMTP password is kept: this computer's keyring, since this
    /// computer's engine sends the store's mail.
    pub fn smtp_password(&self) -> SmtpPasswordEntry {
        SmtpPasswordEntry::for_store(self.store.name())
    }

    /// Keeps (or, empty, forgets) the SMTP password in this computer's keyring. An admin only.
    pub async fn set_smtp_password(&self, password: &str) -> Result<(), CommandError> {
        let keep = mail::password_to_keep(self.actor().await?, password).map_err(to_command_error)?;
        let entry = self.smtp_password();
        let kept = match keep {
            Some(password) => entry.save(password).await,
            None => entry.forget().await,
        };
        kept.map_err(|err| to_command_error(ServiceError::validation(Field::SmtpPassword, err.to_string())))
    }

    pub async fn send_test_email(&self) -> Result<TestEmailSent, CommandError> {
        let actor = self.actor().await?;
        mail::send_test(&self.store, actor, AppState::now(), &self.smtp_password()).await.map_err(to_command_error)
    }

    /// Copies the chosen files into this store's files and attaches them.
    pub async fn attach(
        &self,
        order: WorkOrderId,
        kind: AttachmentKind,
        paths: &[PathBuf],
    ) -> Result<Vec<Attachment>, CommandError> {
        let files_dir = self.store.files_dir();
        attachments::attach(&self.store, self.actor().await?, AppState::now(), &files_dir, order, kind, paths)
            .await
            .map_err(to_command_error)
    }

    /// Imports a CSV file, reporting progress as it goes.
    pub async fn import(
        &self,
        file: &ImportFile,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportReport, CommandError> {
        import::run(&self.store, self.actor().await?, AppState::now(), file, progress).await.map_err(to_command_error)
    }

    /// A copy of the attachment's file, named for what its content is, to open.
    pub async fn attachment_file(&self, id: AttachmentId) -> Result<PathBuf, CommandError> {
        let actor = self.actor().await?;
        let (files_dir, open_dir) = (self.store.files_dir(), self.opened.path()?);
        attachments::open_path(&self.store, actor, &files_dir, &open_dir, id).await.map_err(to_command_error)
    }

    /// Copies the chosen file into this store's files as the certificate's.
    pub async fn attach_certificate_file(&self, id: CertificateId, path: &Path) -> Result<Certificate, CommandError> {
        let (actor, files_dir) = (self.actor().await?, self.store.files_dir());
        let file = attachments::ChosenFile::at(path);
        compliance::attach_file(&self.store, actor, AppState::now(), &files_dir, id, &file)
            .await
            .map_err(to_command_error)
    }

    /// A copy of the certificate's file, named for what its content is, to open.
    pub async fn certificate_file(&self, id: CertificateId) -> Result<PathBuf, CommandError> {
        let actor = self.actor().await?;
        let (files_dir, open_dir) = (self.store.files_dir(), self.opened.path()?);
        compliance::open_file_path(&self.store, actor, &files_dir, &open_dir, id).await.map_err(to_command_error)
    }

    pub fn session(&self) -> Option<SignedInUser> {
        self.session.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set_session(&self, session: Option<SignedInUser>) {
        *self.session.write().unwrap_or_else(PoisonError::into_inner) = session;
    }

    pub async fn status(&self) -> Result<SessionStatus, CommandError> {
        self.resumed().await;
        if self.session().is_some() {
            match self.live_session().await {
                Ok(session) => return self.signed_in(&session, None).await.map(SessionStatus::SignedIn),
                // Ended since: the sign-in screen, below.
                Err(err) if err.code == ErrorCode::NotSignedIn => {}
                Err(err) => return Err(err),
            }
        }
        if accounts::setup_needed(&self.store).await.map_err(to_command_error)? {
            return Ok(SessionStatus::SetupNeeded);
        }
        let demo_accounts = match self.demo {
            true => accounts::demo_accounts(&self.store).await.map_err(to_command_error)?,
            false => Vec::new(),
        };
        Ok(SessionStatus::SignedOut { demo_accounts })
    }

    pub async fn sign_in(&self, request: SignIn) -> Result<SignedIn, CommandError> {
        let now = AppState::now();
        let mut session = accounts::sign_in(&self.store, now, &request).await.map_err(to_command_error)?;
        // Signing in as someone else on this computer replaces what was remembered. Only
        // a "Remember me" that could not be kept matters to the person; the rest is logged.
        let not_remembered = match &session.token {
            Some(token) => self.keyring.save(token.secret()).await.err(),
            None => {
                if let Err(problem) = self.keyring.forget().await {
                    tracing::warn!("{problem}");
                }
                session.token = Some(self.open_visit(session.actor, now).await?);
                None
            }
        };
        if let Some(problem) = &not_remembered {
            tracing::warn!("{problem}");
        }
        self.set_session(Some(session.clone()));
        self.signed_in(&session, not_remembered.map(|_| NOT_REMEMBERED.to_owned())).await
    }

    /// A session for this visit only, held in memory: every command still checks it.
    async fn open_visit(&self, actor: Actor, now: DateTime<Utc>) -> Result<SessionToken, CommandError> {
        accounts::open_session(&self.store, actor.user_id, now, Lasting::visit()).await.map_err(to_command_error)
    }

    pub async fn sign_out(&self) -> Result<(), CommandError> {
        let token = self.session().and_then(|session| session.token);
        self.set_session(None);
        if let Err(problem) = self.keyring.forget().await {
            tracing::warn!("{problem}");
        }
        accounts::sign_out(&self.store, AppState::now(), token.as_ref()).await.map_err(to_command_error)
    }

    /// Also what a temporary password's holder may do. The user's other sessions end
    /// (other computers, a token someone else holds); this one goes on.
    pub async fn change_password(&self, request: ChangePassword) -> Result<SignedIn, CommandError> {
        let mut session = self.live_session().await?;
        let now = AppState::now();
        if let Err(err) = accounts::change_password(&self.store, now, session.actor, &request).await {
            // Too many wrong current passwords end this session too: dropped here, while
            // the person reads why (the lock), not a bare "session ended".
            let _ = self.live_session().await;
            return Err(to_command_error(err));
        }
        if let Some(token) = &session.token {
            accounts::end_other_sessions(&self.store, session.actor.user_id, token, now)
                .await
                .map_err(to_command_error)?;
        }
        session.must_change_password = false;
        self.set_session(Some(session.clone()));
        self.signed_in(&session, None).await
    }

    pub async fn set_up_agency(&self, request: SetUpAgency) -> Result<SignedIn, CommandError> {
        let now = AppState::now();
        let mut session = accounts::set_up_agency(&self.store, now, &request).await.map_err(to_command_error)?;
        session.token = Some(self.open_visit(session.actor, now).await?);
        self.set_session(Some(session.clone()));
        self.signed_in(&session, None).await
    }

    async fn signed_in(
        &self,
        session: &SignedInUser,
        keyring_problem: Option<String>,
    ) -> Result<SignedIn, CommandError> {
        let user = users::current(&self.store, session.actor).await.map_err(to_command_error)?;
        let idle_sign_out_minutes = accounts::idle_sign_out_minutes(&self.store).await.map_err(to_command_error)?;
        Ok(SignedIn {
            user,
            must_change_password: session.must_change_password,
            keyring_problem,
            idle_sign_out_minutes,
        })
    }
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
