//! Each report over the twelve months to the scale store's "now", on 100,000 orders:
//! `cargo bench -p plumbline-service --bench reports` (`PLUMBLINE_BENCH_POSTGRES_URL`
//! for PostgreSQL). The goal (#19) is 300 ms per report.

mod scale_store;

use criterion::{Criterion, criterion_group, criterion_main};
use plumbline_domain::api::{ReportFilter, ReportKind, ReportRequest};
use plumbline_service::{reports, users};
use scale_store::{a_landlord, scale_now, scale_store};
use std::time::Duration;

fn twelve_months(kind: ReportKind) -> ReportRequest {
    ReportRequest { kind, filter: ReportFilter::twelve_months_to(scale_now().date_naive()) }
}

fn each_report(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let store = runtime.block_on(scale_store());
    let staff = runtime.block_on(users::first_staff(&store)).expect("staff");
    let landlord = runtime.block_on(a_landlord(&store));
    let mut group = c.benchmark_group(scale_store::group_name("12-month report", &store));
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for kind in ReportKind::ALL {
        let request = twelve_months(kind);
        group.bench_function(format!("{} (staff)", kind.title()), |b| {
            b.to_async(&runtime).iter(|| reports::report(&store, staff, scale_now(), &request))
        });
    }
    for kind in [ReportKind::Contractors, ReportKind::Spend] {
        let request = twelve_months(kind);
        group.bench_function(format!("{} (a landlord)", kind.title()), |b| {
            b.to_async(&runtime).iter(|| reports::report(&store, landlord, scale_now(), &request))
        });
    }
    group.finish();
}

criterion_group!(benches, each_report);
criterion_main!(benches);
