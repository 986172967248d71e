//! plumbline-server: the agency server. It hosts the same use cases as the desktop, over
//! HTTPS, for desktops on other computers: one route per command (`POST /api/v1/<name>`,
//! the same JSON the webview sends to Tauri), the same `{code, message, field}` errors,
//! and never a rule of its own — every command goes to `plumbline-service`, as in the
//! desktop shell.
//!
//! The server owns the sessions (bearer tokens, stored as hashes and checked on every
//! request), TLS, the sign-in limits, and the background engine; the binary in `main.rs`
//! only reads the command line and opens the store.
//!
//! It also serves the web portal (#21): the same UI, from `Config::web_root`, to browsers
//! and phones, whose sessions are cookies guarded by a per-session CSRF token
//! (`web_session`), with security headers on every answer (`web`).

mod answer;
mod app;
mod auth;
mod background;
mod changes;
mod error;
mod exports;
mod files;
mod listener;
mod mail;
mod rate_limit;
mod session;
mod smtp_password;
pub mod tls;
mod web;
mod web_session;

pub use rate_limit::RateLimit;
pub use session::SessionGranted;
pub use tls::{Identity, TlsSource};
pub use web::{content_security_policy, inline_scripts, script_hash};
pub use web_session::{COOKIE as SESSION_COOKIE, CSRF_HEADER, csrf_token};

use anyhow::Context;
use chrono::{DateTime, Utc};
use listener::{ClientAddr, TlsListener};
use plumbline_service::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The current instant: the server, like the desktop shell, is the one place that reads
/// the clock; use cases are given it.
#[allow(clippy::disallowed_methods)]
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Where the server reads the current instant: [`now`], or in tests a fixed instant, so
/// the same command at the same instant can be compared with the service in process.
pub type Clock = fn() -> DateTime<Utc>;

/// How big, how long and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// A command's JSON arguments at most (larger bodies get 413).
    pub body_bytes: usize,
    /// How long a session lasts without "Remember me" (with it, `REMEMBER_DAYS`).
    pub session: chrono::Duration,
    /// Sign-in and set-up attempts from one client address.
    pub sign_ins_per_client: RateLimit,
    /// Sign-in attempts at one e-mail address, from anywhere.
    pub sign_ins_per_address: RateLimit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 1 << 20,
            session: chrono::Duration::hours(12),
            // An office behind one address signing in at nine: generous, yet far below
            // what guessing passwords needs.
            sign_ins_per_client: RateLimit { max: 30, per: Duration::from_secs(60) },
            // Above the store's lockout (5 wrong in a row), which already guards accounts;
            // this also caps guesses at addresses that have none.
            sign_ins_per_address: RateLimit { max: 10, per: Duration::from_secs(15 * 60) },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub tls: TlsSource,
    /// The demo agency: its accounts are offered on the sign-in screen.
    pub demo: bool,
    pub limits: Limits,
    /// How often the background engine runs; `None` runs it never (tests drive it).
    pub background_every: Option<Duration>,
    pub clock: Clock,
    /// The web portal's built UI (`src-ui/dist`, with its index.html), served at `/`;
    /// `None` serves no portal (`/` says so).
    pub web_root: Option<PathBuf>,
}

/// How long requests in flight get to finish once the server is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// A running server.
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    identity: Identity,
    stop: watch::Sender<bool>,
    serving: JoinHandle<std::io::Result<()>>,
    background: Option<JoinHandle<()>>,
}

/// Starts serving `store` as `config` says, and returns once the port is open.
pub async fn start(store: Store, config: Config) -> anyhow::Result<Server> {
    let identity = tls::load(&config.tls)?;
    let web = config.web_root.as_deref().map(web::WebRoot::open).transpose()?;
    let tcp = TcpListener::bind(config.listen).await.with_context(|| format!("listening on {}", config.listen))?;
    let listener = TlsListener::new(tcp, identity.config.clone()).context("reading the listening address")?;
    let local_addr = axum::serve::Listener::local_addr(&listener).context("reading the listening address")?;
    let (stop, stopped) = watch::channel(false);
    let app = app::App::new(store.clone(), config.clock, config.demo, config.limits, stopped.clone(), web);
    let router = app::router(app);
    let mut until_stopped = stopped.clone();
    let serving = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<ClientAddr>())
            .with_graceful_shutdown(async move {
                // Also when the `Server` is dropped without being shut down.
                let _ = until_stopped.wait_for(|stopped| *stopped).await;
            })
            .await
    });
    let background = config.background_every.map(|every| background::spawn(store, config.clock, every, stopped));
    Ok(Server { local_addr, identity, stop, serving, background })
}

impl Server {
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The certificate the server presents, and its fingerprint.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Serves until `signal` (Ctrl-C, SIGTERM), then shuts down gracefully.
    pub async fn serve_until(mut self, signal: impl Future<Output = ()>) -> anyhow::Result<()> {
        let ended_by_itself = tokio::select! {
            () = signal => None,
            ended = &mut self.serving => Some(ended),
        };
        match ended_by_itself {
            None => {
                tracing::info!("stopping: finishing the requests in flight");
                self.shutdown().await
            }
            Some(ended) => Err(anyhow::anyhow!("the server stopped by itself: {ended:?}")),
        }
    }

    /// Stops taking connections, ends the open change streams, lets requests in flight
    /// finish (for up to 30 s), and stops the background engine after its current run.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        match tokio::time::timeout(SHUTDOWN_GRACE, self.serving).await {
            Ok(served) => served.context("the server task")?.context("serving")?,
            Err(_) => tracing::warn!("requests still in flight after {SHUTDOWN_GRACE:?}: stopping anyway"),
        }
        if let Some(background) = self.background {
            background.await.context("the background engine")?;
        }
        Ok(())
    }
}
