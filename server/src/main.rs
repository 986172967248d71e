//! `plumbline-server`: reads the command line (each option also from a `PLUMBLINE_*`
//! environment variable), opens the agency's PostgreSQL store (migrating it under
//! sqlx's advisory lock), and serves it until Ctrl-C or SIGTERM.

use anyhow::Context;
use clap::Parser;
use plumbline_server::{Config, Limits, RateLimit, TlsSource};
use plumbline_service::{Store, seed};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The Plumbline agency server: desktops on other computers share one agency through it.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The agency's PostgreSQL database, e.g. postgres://plumbline@db.internal/plumbline.
    #[arg(long, env = "PLUMBLINE_DATABASE_URL", hide_env_values = true)]
    database_url: String,
    /// The address and port to listen on, e.g. 0.0.0.0:8443.
    #[arg(long, env = "PLUMBLINE_LISTEN")]
    listen: SocketAddr,
    /// The TLS certificate (PEM, leaf first). Without one, a self-signed certificate is
    /// made at first start and kept in the state directory.
    #[arg(long, env = "PLUMBLINE_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "PLUMBLINE_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Where the server keeps its self-signed certificate (and, by default, attached files).
    #[arg(long, env = "PLUMBLINE_STATE_DIR", default_value = "plumbline-server-state")]
    state_dir: PathBuf,
    /// Where attached files are kept [default: <state dir>/files].
    #[arg(long, env = "PLUMBLINE_FILES_DIR")]
    files_dir: Option<PathBuf>,
    /// Seed the demo agency into an empty store, and offer its accounts at sign-in.
    #[arg(long, env = "PLUMBLINE_DEMO")]
    demo: bool,
    /// How many hours a session lasts without "Remember me".
    #[arg(long, env = "PLUMBLINE_SESSION_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u16).range(1..))]
    session_hours: u16,
    /// Sign-in attempts allowed per minute from one client address.
    #[arg(long, env = "PLUMBLINE_SIGN_INS_PER_CLIENT_MINUTE", default_value_t = 30)]
    sign_ins_per_client_minute: u32,
}

impl Cli {
    fn config(&self) -> Config {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => TlsSource::Files { cert: cert.clone(), key: key.clone() },
            _ => TlsSource::SelfSigned { state_dir: self.state_dir.clone() },
        };
        let limits = Limits {
            session: chrono::Duration::hours(i64::from(self.session_hours)),
            sign_ins_per_client: RateLimit { max: self.sign_ins_per_client_minute, per: Duration::from_secs(60) },
            ..Limits::default()
        };
        Config {
            listen: self.listen,
            tls,
            demo: self.demo,
            limits,
            background_every: Some(Duration::from_secs(60)),
            clock: plumbline_server::now,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    // Logs go to stderr (colour only on a terminal); stdout is left for the address and
    // fingerprint a person or a script reads.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match run(&cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("plumbline-server: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: &Cli) -> anyhow::Result<()> {
    let files_dir = cli.files_dir.clone().unwrap_or_else(|| cli.state_dir.join("files"));
    std::fs::create_dir_all(&files_dir).with_context(|| format!("creating {}", files_dir.display()))?;
    let store = Store::connect(&cli.database_url, &files_dir).await.context("opening the agency's store")?;
    tracing::info!(store = store.name(), files = %files_dir.display(), "store open and migrated");
    if cli.demo && seed::demo_if_empty(&store, plumbline_server::now()).await.context("seeding the demo agency")? {
        tracing::info!("seeded the demo agency");
    }
    let server = plumbline_server::start(store, cli.config()).await?;
    let identity = server.identity();
    if identity.generated {
        tracing::info!(state_dir = %cli.state_dir.display(), "made a self-signed certificate");
    }
    tracing::info!(address = %server.local_addr(), fingerprint = identity.fingerprint, "listening");
    println!("Plumbline agency server {} listening on https://{}", env!("CARGO_PKG_VERSION"), server.local_addr());
    println!("Certificate SHA-256 fingerprint: {}", identity.fingerprint);
    server.serve_until(shutdown_signal()).await
}

/// Ctrl-C, or SIGTERM (what service managers and containers send).
async fn shutdown_signal() {
    let interrupted = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {err}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminated = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(err) => {
                tracing::warn!("cannot listen for SIGTERM: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminated = std::future::pending::<()>();
    tokio::select! {
        () = interrupted => {}
        () = terminated => {}
    }
}
