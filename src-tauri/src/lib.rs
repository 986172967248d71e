//! The Plumbline desktop shell: opens the store, holds the session, opens the window and
//! routes the webview's commands to `plumbline-service`.

mod backups;
mod chosen_files;
mod commands;
mod connection;
mod engine;
mod error;
mod export_cancel;
#[cfg(test)]
mod list_file_tests;
mod live;
mod local;
#[cfg(test)]
mod local_tests;
mod opened;
#[cfg(test)]
mod order_file_tests;
mod remote;
mod state;
#[cfg(test)]
mod state_tests;

use backups::OpenedBackup;
use chosen_files::ChosenFiles;
use state::AppState;
use std::path::PathBuf;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Overrides the OS app-data directory (tests use a fresh temp dir).
const DATA_DIR_ENV: &str = "PLUMBLINE_DATA_DIR";

/// Where the log goes instead of stderr, when set (the end-to-end tests keep each app's
/// log to show beside a failure: WebDriver does not pass the app's stderr on).
const LOG_FILE_ENV: &str = "PLUMBLINE_LOG_FILE";

/// What `plumbline --version` prints: the product and the version it was built as (the
/// workspace's one version, which the About box shows too).
const VERSION_LINE: &str = concat!("Plumbline ", env!("CARGO_PKG_VERSION"));

pub fn run() {
    if std::env::args().skip(1).any(|arg| arg == "--version" || arg == "-V") {
        println!("{VERSION_LINE}");
        return;
    }
    start_logging();
    log_panics();
    let demo = std::env::args().any(|arg| arg == "--demo");
    let result = tauri::Builder::default()
        .setup(move |app| {
            let data_dir = data_dir(app.path().app_data_dir()?, demo);
            let state = match tauri::async_runtime::block_on(AppState::open(data_dir, demo, reachability(app.handle())))
            {
                Ok(state) => state,
                Err(err) => could_not_start(&err),
            };
            app.manage(state);
            app.manage(ChosenFiles::default());
            app.manage(export_cancel::ExportCancel::default());
            app.manage(OpenedBackup::from_args(std::env::args_os().skip(1)));
            live::spawn(app.handle().clone());
            engine::spawn(app.handle().clone());
            // The window opens only once the state it calls into exists.
            let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title("Plumbline")
                .inner_size(1280.0, 800.0)
                .min_inner_size(960.0, 600.0)
                .build()?;
            paint_without_compositing(&window);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(on_event),
        Err(err) => {
            tracing::error!("Plumbline stopped: {err:#}");
            std::process::exit(1);
        }
    }
}

/// macOS hands a double-clicked backup to the running app as an "open" event rather
/// than as an argument; it waits for the Backup page like one given on the command line.
#[cfg(target_os = "macos")]
fn on_event(app: &tauri::AppHandle, event: tauri::RunEvent) {
    if let tauri::RunEvent::Opened { urls } = event
        && let Some(path) = urls.iter().find_map(|url| url.to_file_path().ok())
    {
        app.state::<OpenedBackup>().open(path);
    }
}

#[cfg(not(target_os = "macos"))]
fn on_event(_: &tauri::AppHandle, _: tauri::RunEvent) {}

fn start_logging() {
    let logging = tracing_subscriber::fmt().with_max_level(LevelFilter::TRACE);
    let file = std::env::var_os(LOG_FILE_ENV).map(|path| {
        let opened = std::fs::OpenOptions::new().create(true).append(true).open(&path);
        (path, opened)
    });
    let levels = log_levels(std::env::var("RUST_LOG").ok().as_deref());
    match file {
        Some((_, Ok(file))) => {
            logging.with_ansi(false).with_writer(std::sync::Mutex::new(file)).finish().with(levels).init()
        }
        Some((path, Err(err))) => {
            logging.finish().with(levels).init();
            tracing::warn!("logging to stderr: {} could not be opened: {err}", path.to_string_lossy());
        }
        None => logging.finish().with(levels).init(),
    }
}

/// `RUST_LOG` as targets and levels (`info`, `plumbline_service=debug,sqlx=warn`); info
/// when it is empty, unset or not in that form. The desktop leaves out tracing's full
/// filter language (span fields, regular expressions): that took 0.8 MB of its binary
/// (#17), a support request needs no more, and the agency server keeps it.
fn log_levels(rust_log: Option<&str>) -> Targets {
    let everything_at_info = Targets::new().with_default(LevelFilter::INFO);
    let given = rust_log.filter(|levels| !levels.trim().is_empty());
    given.and_then(|levels| levels.parse().ok()).unwrap_or(everything_at_info)
}

/// A panic ends the app (the release build aborts: the root Cargo.toml says why). Its
/// message and place go to the log first: an app started from a menu has no stderr to
/// read.
fn log_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |panic| {
        tracing::error!("Plumbline stopped on an internal error: {panic}");
        report(panic);
    }));
}

/// Linux: WebKitGTK paints the page itself instead of compositing its layers through
/// OpenGL. Plumbline's screens are text, tables and forms, which need no GPU; without one
/// (virtual machines, remote desktops, older office PCs: OpenGL in software) compositing
/// doubled the time from a click to the next screen painted and held 150 MB more in the
/// web process (#17, `scripts/bench.sh`). This is WebKitGTK's own behaviour before 2.38
/// for pages without 3D or video.
#[cfg(target_os = "linux")]
fn paint_without_compositing(window: &tauri::WebviewWindow) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    let applied = window.with_webview(|webview| {
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(err) = applied {
        tracing::warn!("the window keeps WebKit's compositing: {err}");
    }
}

#[cfg(not(target_os = "linux"))]
fn paint_without_compositing(_window: &tauri::WebviewWindow) {}

/// Tells the person why there is no window (a store saved by a newer Plumbline, a data
/// directory that cannot be opened…) in a dialog and on stderr, then exits.
fn could_not_start(err: &anyhow::Error) -> ! {
    tracing::error!("Plumbline could not start: {err:#}");
    eprintln!("Plumbline could not start: {err:#}");
    plumbline_desktop::message_dialog::show_error("Plumbline could not start", &format!("{err:#}"));
    std::process::exit(1);
}

/// The window's title says when the agency server cannot be reached, on every screen,
/// until it answers again.
fn reachability(app: &tauri::AppHandle) -> remote::Reachability {
    let app = app.clone();
    std::sync::Arc::new(move |reachable: bool| {
        let title = match reachable {
            true => "Plumbline".to_owned(),
            false => "Plumbline — cannot reach the agency server: changes are not being saved".to_owned(),
        };
        if let Some(window) = app.get_webview_window("main")
            && let Err(err) = window.set_title(&title)
        {
            tracing::warn!("could not retitle the window: {err}");
        }
    })
}

/// `--demo` keeps the demo agency apart from real data, in its own sub-directory.
fn data_dir(app_data_dir: PathBuf, demo: bool) -> PathBuf {
    let base = std::env::var_os(DATA_DIR_ENV).map(PathBuf::from).unwrap_or(app_data_dir);
    if demo { base.join("demo") } else { base }
}

#[cfg(test)]
mod tests {
    use super::log_levels;
    use tracing::Level;

    #[test]
    fn rust_log_names_targets_and_levels_and_anything_else_is_info() {
        let levels = log_levels(Some("warn,plumbline_service=debug"));
        assert!(levels.would_enable("plumbline_service::store", &Level::DEBUG));
        assert!(!levels.would_enable("sqlx::query", &Level::INFO));
        assert!(levels.would_enable("sqlx::query", &Level::WARN));
        for unset_or_unreadable in [None, Some(""), Some("plumbline=loud")] {
            let levels = log_levels(unset_or_unreadable);
            assert!(levels.would_enable("plumbline", &Level::INFO), "{unset_or_unreadable:?}");
            assert!(!levels.would_enable("plumbline", &Level::DEBUG), "{unset_or_unreadable:?}");
        }
    }
}
