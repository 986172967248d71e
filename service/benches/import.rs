//! CSV import at an agency's full size: 10,000 properties with 30,000 units and
//! tenancies (their landlords and tenants), and 400 contractors, each into a new agency's
//! store; and the per-row report of a file with bad rows.
//! `cargo bench -p plumbline-service --bench import` (PostgreSQL: with
//! PLUMBLINE_TEST_POSTGRES_URL set, e.g. under scripts/with-postgres.sh).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use plumbline_domain::api::{ImportFile, ImportReport, SetUpAgency};
use plumbline_domain::{Actor, Role};
use plumbline_service::db::Engine as DbEngine;
use plumbline_service::{Store, accounts, import};
use plumbline_test_support::agency_book::{contractors_csv, properties_csv};
use plumbline_test_support::{TestStore, empty_store};
use std::time::{Duration, Instant};

const PROPERTIES: usize = 10_000;
const CONTRACTORS: usize = 400;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z").expect("valid").with_timezone(&Utc)
}

/// A new agency's empty store and its admin.
async fn new_agency() -> (TestStore, Actor) {
    let test = empty_store().await;
    let request = SetUpAgency {
        agency: "Riverside Lettings".into(),
        name: "Dana Reid".into(),
        email: "dana@riverside.example".into(),
        password: "riverside lettings 2026".into(),
    };
    let admin = accounts::set_up_agency(&test.store, now(), &request).await.expect("set up").actor;
    assert_eq!(admin.role, Role::Admin);
    (test, admin)
}

fn file(name: &str, bytes: &[u8]) -> ImportFile {
    ImportFile { file_name: name.into(), content_base64: STANDARD.encode(bytes) }
}

async fn run(store: &Store, admin: Actor, csv: &ImportFile) -> ImportReport {
    import::run(store, admin, now(), csv, &|_| {}).await.expect("import")
}

/// Times `iters` imports of `csv`, each into a new agency (making the store is not timed).
async fn timed_imports(iters: u64, csv: &ImportFile) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let (test, admin) = new_agency().await;
        let started = Instant::now();
        let report = run(&test.store, admin, csv).await;
        total += started.elapsed();
        assert!(report.created.total() > 0);
    }
    total
}

/// Times `iters` previews of `csv`, each of a new agency (nothing is stored).
async fn timed_previews(iters: u64, csv: &ImportFile) -> Duration {
    let (test, admin) = new_agency().await;
    let started = Instant::now();
    for _ in 0..iters {
        let report = import::preview(&test.store, admin, now(), csv).await.expect("preview");
        assert!(!report.applied);
    }
    started.elapsed()
}

fn engine_name(store: &Store) -> &'static str {
    match store.engine() {
        DbEngine::Sqlite => "SQLite",
        DbEngine::Postgres => "PostgreSQL",
    }
}

fn imports(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let book = properties_csv(PROPERTIES);
    let properties = file("book.csv", &book.bytes);
    let contractors = file("contractors.csv", &contractors_csv(CONTRACTORS).bytes);
    let (probe, admin) = runtime.block_on(new_agency());
    let report = runtime.block_on(run(&probe.store, admin, &properties));
    eprintln!(
        "{} rows: {} properties, {} tenancies added, {} rows rejected",
        report.rows,
        report.created.properties,
        report.created.tenancies,
        report.rejected_rows()
    );

    let mut group = c.benchmark_group(format!("import, {}", engine_name(&probe.store)));
    group.sample_size(10).measurement_time(Duration::from_secs(60));
    group.bench_function("10,000 properties, 30,000 tenancies (new agency)", |b| {
        b.to_async(&runtime).iter_custom(|iters| timed_imports(iters, &properties))
    });
    group.bench_function("the same file again (every row already on record)", |b| {
        b.to_async(&runtime).iter(|| run(&probe.store, admin, &properties))
    });
    group.bench_function("400 contractors (new agency)", |b| {
        b.to_async(&runtime).iter_custom(|iters| timed_imports(iters, &contractors))
    });
    group.bench_function("preview of 10,000 properties (new agency, rolled back)", |b| {
        b.to_async(&runtime).iter_custom(|iters| timed_previews(iters, &properties))
    });
    group.bench_function("per-row report as CSV (rejected rows)", |b| {
        b.iter(|| import::report_csv(&report).expect("report"))
    });
    group.finish();
}

criterion_group!(benches, imports);
criterion_main!(benches);
