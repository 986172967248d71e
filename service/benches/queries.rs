//! What the screens ask of the store, on 100,000 orders:
//! `cargo bench -p plumbline-service --bench queries`.

mod scale_store;

use criterion::{Criterion, criterion_group, criterion_main};
use plumbline_domain::State;
use plumbline_domain::api::{ListWorkOrders, WorkOrderFilter};
use plumbline_service::{categories, tenancies, users, work_orders};
use scale_store::{scale_now, scale_store};

fn page(states: Vec<State>) -> ListWorkOrders {
    ListWorkOrders {
        filter: WorkOrderFilter { states, ..WorkOrderFilter::default() },
        sort: Default::default(),
        after: None,
        limit: 100,
    }
}

fn queries(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let store = runtime.block_on(scale_store());
    let staff = runtime.block_on(users::first_staff(&store)).expect("staff");
    let landlord = runtime.block_on(scale_store::a_landlord(&store));
    let now = scale_now();
    // A cursor 500 pages deep: keyset paging should cost what the first page costs.
    let deep = runtime.block_on(async {
        let mut request = page(vec![]);
        for _ in 0..500 {
            let next = work_orders::list(&store, staff, now, &request).await.expect("page").next;
            request.after = next;
        }
        request
    });
    let newest = runtime.block_on(work_orders::list(&store, staff, now, &page(vec![]))).expect("first page");

    let first = page(vec![]);
    let in_progress = page(vec![State::InProgress]);
    let open = page(State::ALL.into_iter().filter(|s| !s.is_terminal()).collect());

    let mut group = c.benchmark_group(scale_store::group_name("100k orders", &store));
    group.bench_function("list first page (staff)", |b| {
        b.to_async(&runtime).iter(|| work_orders::list(&store, staff, now, &first))
    });
    group.bench_function("list page 500 (keyset)", |b| {
        b.to_async(&runtime).iter(|| work_orders::list(&store, staff, now, &deep))
    });
    group.bench_function("list In progress", |b| {
        b.to_async(&runtime).iter(|| work_orders::list(&store, staff, now, &in_progress))
    });
    group.bench_function("list open states", |b| {
        b.to_async(&runtime).iter(|| work_orders::list(&store, staff, now, &open))
    });
    group.bench_function("list first page (landlord)", |b| {
        b.to_async(&runtime).iter(|| work_orders::list(&store, landlord, now, &first))
    });
    group.bench_function("detail with timeline", |b| {
        b.to_async(&runtime).iter(|| work_orders::detail(&store, staff, now, newest.rows[0].id))
    });
    group.bench_function("recent activity (staff, 50)", |b| {
        b.to_async(&runtime).iter(|| work_orders::recent_activity(&store, staff, 50))
    });
    group.bench_function("tenancy type-ahead 'smi' (8)", |b| {
        b.to_async(&runtime).iter(|| tenancies::search(&store, staff, now, "smi", 8))
    });
    group.bench_function("tenancy type-ahead 'olivia quay' (8)", |b| {
        b.to_async(&runtime).iter(|| tenancies::search(&store, staff, now, "olivia quay", 8))
    });
    group.bench_function("tenancy type-ahead empty (8)", |b| {
        b.to_async(&runtime).iter(|| tenancies::search(&store, staff, now, "", 8))
    });
    group.bench_function("intake options", |b| b.to_async(&runtime).iter(|| categories::intake_options(&store)));
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
