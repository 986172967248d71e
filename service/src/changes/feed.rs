//! Waking the feed's readers: `Store::subscribe` gives a receiver that wakes after any
//! change is committed, in this process or another. A wake carries nothing: whoever
//! wakes reads `changes::since` from its own cursor, so a spurious wake costs one query
//! and a missed one is impossible as long as some wake follows every commit.
//!
//! - In this process, `Db::commit` wakes after a transaction that announced a change.
//! - PostgreSQL: one task per store listens on `plumbline_changes`, which every writer
//!   notifies in its transaction (delivered at commit), so every server process behind a
//!   load balancer hears every other's changes. After its connection is re-made it wakes
//!   once, for what it may have missed meanwhile.
//! - SQLite: another process on the same file (a second desktop window, a script) cannot
//!   notify, so the data directory is watched (inotify and its kin, through `notify`): a
//!   write to the database or its write-ahead log wakes.
//!
//! The listener or watcher starts with the first subscriber: a store no one follows (a
//! command-line tool, most tests) opens no extra connection and watches nothing. It then
//! wakes once, so a subscriber never misses a change committed while it was starting.

use crate::store::DATABASE_FILE;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

/// Wakes not yet received by a slow subscriber; beyond this it gets one `Lagged`, which
/// means the same as a wake.
const PENDING_WAKES: usize = 16;

/// How long after the listener's connection fails before it tries again.
#[cfg(feature = "postgres")]
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// A commit's last write reaches the write-ahead log a moment before SQLite marks it
/// committed (in shared memory, which no file event shows): a burst of writes wakes at
/// once and again this long after its last write.
const SETTLE: Duration = Duration::from_millis(100);

/// Where other processes' commits are heard from.
pub(crate) enum Source {
    /// The SQLite store's data directory.
    Directory(PathBuf),
    #[cfg(feature = "postgres")]
    Postgres(Box<PgConnectOptions>),
}

/// The store's wake, and what feeds it once someone subscribes.
pub(crate) struct Feed {
    wake: broadcast::Sender<()>,
    source: Source,
    started: Mutex<Option<Started>>,
}

/// What runs while the store is open: stopped when the last clone of the store goes.
enum Started {
    #[cfg(feature = "postgres")]
    Listener(JoinHandle<()>),
    Watcher {
        _watcher: RecommendedWatcher,
        settling: JoinHandle<()>,
    },
    /// Could not start (no runtime, the directory cannot be watched): only this process's
    /// own commits wake.
    Nothing,
}

impl fmt::Debug for Feed {
    // Never the connect options: they hold the database's password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Feed").field("subscribers", &self.wake.receiver_count()).finish_non_exhaustive()
    }
}

impl Feed {
    pub(crate) fn new(source: Source) -> Self {
        Self { wake: broadcast::channel(PENDING_WAKES).0, source, started: Mutex::new(None) }
    }

    /// What `Db::commit` sends after a commit that announced something.
    pub(crate) fn sender(&self) -> broadcast::Sender<()> {
        self.wake.clone()
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<()> {
        // Subscribed first: the wake a starting listener sends is then not missed.
        let receiver = self.wake.subscribe();
        let mut started = self.started.lock().unwrap_or_else(PoisonError::into_inner);
        if started.is_none() {
            *started = Some(self.start());
        }
        receiver
    }

    fn start(&self) -> Started {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("the change feed hears only this process: subscribed outside a tokio runtime");
            return Started::Nothing;
        };
        match &self.source {
            #[cfg(feature = "postgres")]
            Source::Postgres(options) => Started::Listener(runtime.spawn(listen((**options).clone(), self.sender()))),
            Source::Directory(dir) => watch(&runtime, dir.clone(), self.sender()).unwrap_or_else(|err| {
                tracing::warn!("the change feed hears only this process: cannot watch {}: {err}", dir.display());
                Started::Nothing
            }),
        }
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        match self.started.get_mut().unwrap_or_else(PoisonError::into_inner).take() {
            #[cfg(feature = "postgres")]
            Some(Started::Listener(task)) => task.abort(),
            Some(Started::Watcher { settling: task, .. }) => task.abort(),
            Some(Started::Nothing) | None => {}
        }
    }
}

/// Listens on the feed's channel for as long as the store is open, waking on every
/// notification, and once after each (re)connection.
#[cfg(feature = "postgres")]
async fn listen(options: PgConnectOptions, wake: broadcast::Sender<()>) {
    loop {
        match listen_until_failure(&options, &wake).await {
            Ok(()) => return,
            Err(err) => tracing::warn!("the change feed's listener lost the database: {err}; connecting again"),
        }
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

#[cfg(feature = "postgres")]
async fn listen_until_failure(options: &PgConnectOptions, wake: &broadcast::Sender<()>) -> sqlx::Result<()> {
    // A connection of its own, outside the store's pool: it is held as long as the store.
    let pool = PgPoolOptions::new().max_connections(1).idle_timeout(None).max_lifetime(None);
    let mut listener = PgListener::connect_with(&pool.connect_with(options.clone()).await?).await?;
    listener.listen(crate::db::FEED_CHANNEL).await?;
    let _ = wake.send(());
    loop {
        // `None`: the connection was lost and has been re-made (listening again);
        // whatever committed in between went unheard, so wake for it.
        listener.try_recv().await?;
        let _ = wake.send(());
    }
}

/// Watches the SQLite store's directory for writes to its files by any process.
fn watch(runtime: &tokio::runtime::Handle, dir: PathBuf, wake: broadcast::Sender<()>) -> notify::Result<Started> {
    let (writes, written) = mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|event| is_write_to_store(&event)) {
            let _ = writes.send(());
        }
    })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    let settling = runtime.spawn(wake_as_writes_settle(written, wake));
    Ok(Started::Watcher { _watcher: watcher, settling })
}

/// A modification of the database file, its write-ahead log or its journal.
fn is_write_to_store(event: &notify::Event) -> bool {
    let modifies = match event.kind {
        EventKind::Modify(_) | EventKind::Create(_) => true,
        EventKind::Any | EventKind::Access(_) | EventKind::Remove(_) | EventKind::Other => false,
    };
    modifies
        && event.paths.iter().any(|path| {
            path.file_name().and_then(|name| name.to_str()).is_some_and(|name| {
                name.strip_prefix(DATABASE_FILE).is_some_and(|rest| rest.is_empty() || rest == "-wal")
            })
        })
}

/// Wakes at the first write of a burst, then every `SETTLE` while writes go on, and once
/// more `SETTLE` after the last: every write is followed by a wake at least that late.
async fn wake_as_writes_settle(mut written: mpsc::UnboundedReceiver<()>, wake: broadcast::Sender<()>) {
    let _ = wake.send(());
    while written.recv().await.is_some() {
        let _ = wake.send(());
        loop {
            tokio::time::sleep(SETTLE).await;
            let mut wrote_meanwhile = false;
            while written.try_recv().is_ok() {
                wrote_meanwhile = true;
            }
            let _ = wake.send(());
            if !wrote_meanwhile {
                break;
            }
        }
    }
}
