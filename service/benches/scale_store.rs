//! The 100,000-order store the benchmarks and query plans run on, generated once and
//! kept: a SQLite file under the target directory (delete it to regenerate), or, when
//! `PLUMBLINE_BENCH_POSTGRES_URL` names a PostgreSQL database, that database
//! (`scripts/bench.sh` runs every benchmark on both).

use chrono::{DateTime, Utc};
use plumbline_service::Store;
use plumbline_service::db::{Engine, Sql};
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

/// The database the benchmarks run on instead of SQLite.
pub const POSTGRES_URL_VAR: &str = "PLUMBLINE_BENCH_POSTGRES_URL";

pub async fn scale_store() -> Store {
    let store = match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) => Store::connect(&url, &scale_dir().join("postgres-files")).await.expect("scale database connects"),
        Err(_) => Store::open(&scale_dir()).await.expect("scale store opens"),
    };
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
        // PostgreSQL plans from table statistics, and counts from an index alone only where
        // its visibility map says the rows are settled: autovacuum does both after a bulk
        // load, but not before the first benchmark would run.
        if store.engine() == Engine::Postgres {
            Sql::new("VACUUM ANALYZE").execute(&store).await.expect("statistics gathered");
        }
    }
    store
}

/// Names the benchmark group after the engine, so the two runs sit side by side.
#[allow(dead_code, reason = "the query_plans example shares this module without benchmark groups")]
pub fn group_name(what: &str, store: &Store) -> String {
    let engine = match store.engine() {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
    };
    format!("{what}, {engine}")
}

/// A landlord of the scale store, to measure what a landlord's reads cost.
#[allow(dead_code, reason = "not every benchmark reads as a landlord")]
pub async fn a_landlord(store: &Store) -> plumbline_domain::Actor {
    let (id,): (i64,) = Sql::new("SELECT id FROM users WHERE role = 'landlord' ORDER BY id LIMIT 1")
        .fetch_one(store)
        .await
        .expect("a landlord");
    plumbline_domain::Actor { user_id: plumbline_domain::UserId(id), role: plumbline_domain::Role::Landlord }
}
