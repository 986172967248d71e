//! The demo agency on SQLite, seeded once per test process for each test's store to copy
//! (as [`crate::postgres::demo_template`] is on the server): seeding takes about a second
//! (its users' password hashes, mostly), copying the file a few milliseconds.

use crate::own_runtime::on_own_runtime;
use chrono::{DateTime, Utc};
use plumbline_service::db::Pool;
use plumbline_service::{Store, seed};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// The files of a closed store's data directory, by name: its database file, folded.
/// Held in memory, so that nothing is left on disk when the test process ends.
type StoreFiles = Vec<(OsString, Vec<u8>)>;

/// Writes the demo agency seeded at `at` into the empty directory `dir`, from a template
/// made once per test process and instant (on a thread and runtime of its own, as each
/// `#[tokio::test]` has its own runtime; the first test to ask waits for it and the others
/// wait on the lock).
pub fn copy_demo_into(dir: &Path, at: DateTime<Utc>) {
    static TEMPLATES: Mutex<BTreeMap<DateTime<Utc>, Arc<StoreFiles>>> = Mutex::new(BTreeMap::new());
    let template = {
        let mut templates = TEMPLATES.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(templates.entry(at).or_insert_with(|| Arc::new(on_own_runtime(move || seed_template(at)))))
    };
    for (name, bytes) in template.iter() {
        std::fs::write(dir.join(name), bytes).expect("the demo store copied");
    }
}

async fn seed_template(at: DateTime<Utc>) -> StoreFiles {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).await.expect("store opens");
    assert!(seed::demo_if_empty(&store, at).await.expect("demo seeds"));
    read_closed(store, dir.path()).await
}

/// Closes `store` (its last connection folds the write-ahead log into the file) and reads
/// the files of its directory `dir`.
async fn read_closed(store: Store, dir: &Path) -> StoreFiles {
    if let Pool::Sqlite(pool) = store.pool() {
        pool.close().await;
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("listed") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            files.push((path.file_name().expect("a name").to_owned(), std::fs::read(&path).expect("read")));
        }
    }
    files
}
