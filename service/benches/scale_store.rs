//! The 100,000-order store the benchmarks and query plans run on, generated once and
//! kept under the target directory (delete it to regenerate).

use chrono::{DateTime, Utc};
use plumbline_service::Store;
use plumbline_service::seed::{self, AgencySize};
use std::path::PathBuf;
use std::time::Instant;

pub const SCALE_SEED: u64 = 100_000;

pub fn scale_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z").expect("valid instant").with_timezone(&Utc)
}

fn scale_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    target.join("scale-store")
}

pub async fn scale_store() -> Store {
    let store = Store::open(&scale_dir()).await.expect("scale store opens");
    if store.is_empty().await.expect("readable") {
        let started = Instant::now();
        let made = seed::generate(&store, AgencySize::SCALE, SCALE_SEED, scale_now()).await.expect("generates");
        eprintln!(
            "generated {} orders, {} events, {} users in {:.1} s into {}",
            made.orders,
            made.events,
            made.users,
            started.elapsed().as_secs_f64(),
            store.name()
        );
    }
    store
}
