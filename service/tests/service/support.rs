//! The service's tests run at one fixed instant, with the demo agency seeded at it; their
//! stores (SQLite, or PostgreSQL when `PLUMBLINE_TEST_POSTGRES_URL` is set) are
//! plumbline-test-support's.

use chrono::{DateTime, Utc};
pub use plumbline_test_support::{
    POSTGRES_URL_VAR, StoreAddress, TestStore, empty_store, open_address, postgres_store, postgres_url, sqlite_store,
};

/// The instant every test runs "now" at: a Monday morning in November.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z").expect("valid").with_timezone(&Utc)
}

/// A store holding the demo agency (seeded at [`now`]), on the engine under test.
pub async fn demo_store() -> TestStore {
    plumbline_test_support::demo_store_at(now()).await
}
