//! `plumbline-server`: reads the command line (each option also from a `PLUMBLINE_*`
//! environment variable), opens the agency's PostgreSQL store (migrating it under
//! sqlx's advisory lock), and serves it until Ctrl-C or SIGTERM, taking a daily backup if
//! `--backup-dir` is set. `--back-up-to` and `--restore-from` instead do that once and
//! exit.

// The release profile is the desktop's, which ends the process on a panic (the root
// Cargo.toml says why); the server must outlive one request's panic.
#[cfg(panic = "abort")]
compile_error!("build the agency server with `--profile server` (or a debug build), not `--release`");

use anyhow::Context;
use clap::Parser;
use plumbline_server::{Config, Limits, RateLimit, TlsSource};
use plumbline_service::{Store, backup, seed};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
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
    #[arg(long, env = "PLUMBLINE_LISTEN", required_unless_present_any = ["back_up_to", "restore_from"])]
    listen: Option<SocketAddr>,
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
    /// A folder to write a backup archive to every day (the Plumbline format a desktop
    /// restores too), keeping the newest --backups-kept.
    #[arg(long, env = "PLUMBLINE_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// How many daily backups to keep in --backup-dir.
    #[arg(long, env = "PLUMBLINE_BACKUPS_KEPT", default_value_t = 14)]
    backups_kept: u32,
    /// Write one backup archive of the agency to this file, then exit.
    #[arg(long, conflicts_with_all = ["restore_from", "listen"])]
    back_up_to: Option<PathBuf>,
    /// Restore a backup archive (from a desktop or a server) onto this new, empty
    /// database, then exit. A database that already holds an agency is refused.
    #[arg(long, conflicts_with_all = ["back_up_to", "listen"])]
    restore_from: Option<PathBuf>,
    /// Sign-in attempts allowed per minute from one client address.
    #[arg(long, env = "PLUMBLINE_SIGN_INS_PER_CLIENT_MINUTE", default_value_t = 30)]
    sign_ins_per_client_minute: u32,
    /// The web portal: a folder holding the built UI (src-ui/dist, made by
    /// scripts/build-ui.sh), served at https://<server>/ to tenants and contractors in a
    /// browser or on a phone (which roles may use it is an agency setting). Without it,
    /// the server offers no web portal.
    #[arg(long, env = "PLUMBLINE_WEB_ROOT")]
    web_root: Option<PathBuf>,
}

impl Cli {
    /// How to serve, once it is settled that this run serves (clap requires `--listen`
    /// unless the run only backs up or restores).
    fn config(&self, listen: SocketAddr) -> Config {
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
            listen,
            tls,
            demo: self.demo,
            limits,
            background_every: Some(Duration::from_secs(60)),
            clock: plumbline_server::now,
            web_root: self.web_root.clone(),
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
    if let Some(archive) = &cli.back_up_to {
        return back_up_once(&store, archive).await;
    }
    if let Some(archive) = &cli.restore_from {
        return restore_once(&store, archive, &cli.state_dir).await;
    }
    let schedule = cli.backup_dir.as_deref().map(|folder| (folder, cli.backups_kept));
    backup::set_by_operator(&store, schedule).context("setting up daily backups")?;
    if cli.demo && seed::demo_if_empty(&store, plumbline_server::now()).await.context("seeding the demo agency")? {
        tracing::info!("seeded the demo agency");
    }
    let listen = cli.listen.context("--listen is required to serve")?;
    let server = plumbline_server::start(store, cli.config(listen)).await?;
    let identity = server.identity();
    if identity.generated {
        tracing::info!(state_dir = %cli.state_dir.display(), "made a self-signed certificate");
    }
    tracing::info!(address = %server.local_addr(), fingerprint = identity.fingerprint, "listening");
    println!("Plumbline agency server {} listening on https://{}", env!("CARGO_PKG_VERSION"), server.local_addr());
    println!("Certificate SHA-256 fingerprint: {}", identity.fingerprint);
    server.serve_until(shutdown_signal()).await
}

async fn back_up_once(store: &Store, archive: &Path) -> anyhow::Result<()> {
    let written = backup::write_by_operator(store, archive, plumbline_server::now()).await?;
    let counts = written.manifest.counts;
    println!(
        "Backed up {} ({} work orders, {} users, {} attachments) to {}",
        written.manifest.agency,
        counts.work_orders,
        counts.users,
        counts.attachments,
        written.path.display()
    );
    Ok(())
}

async fn restore_once(store: &Store, archive: &Path, state_dir: &Path) -> anyhow::Result<()> {
    let work_dir = state_dir.join(format!("restoring-{}", std::process::id()));
    let manifest = backup::restore_onto_postgres(store, archive, &work_dir).await?;
    println!(
        "Restored {} as backed up at {} ({} work orders, {} users, {} attachments)",
        manifest.agency,
        manifest.created_at.format("%Y-%m-%d %H:%M UTC"),
        manifest.counts.work_orders,
        manifest.counts.users,
        manifest.counts.attachments
    );
    Ok(())
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
