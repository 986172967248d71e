//! A fresh, migrated store in its own temp directory per test.

use chrono::{DateTime, Utc};
use plumbline_service::Store;
use tempfile::TempDir;

pub struct TestStore {
    pub store: Store,
    _dir: TempDir,
}

/// The instant every test runs "now" at: a Monday morning in November.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z").expect("valid").with_timezone(&Utc)
}

pub async fn empty_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).await.expect("store opens");
    TestStore { store, _dir: dir }
}

pub async fn demo_store() -> TestStore {
    let test = empty_store().await;
    assert!(plumbline_service::seed::demo_if_empty(&test.store, now()).await.expect("demo seeds"));
    test
}
