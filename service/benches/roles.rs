//! Sign-in, each role's dashboard and the triage queue on the 100,000-order store:
//! `cargo bench -p plumbline-service --bench roles`.

mod scale_store;

use criterion::{Criterion, criterion_group, criterion_main};
use plumbline_domain::api::{ListUsers, SignIn};
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::accounts::{self, DEMO_PASSWORD};
use plumbline_service::db::Sql;
use plumbline_service::{Store, users, work_orders};
use scale_store::{scale_now, scale_store};

/// The user of `role` with the most orders, so each dashboard is measured at its busiest.
async fn busiest(store: &Store, role: Role) -> Actor {
    let sql = match role {
        Role::Landlord => {
            "SELECT p.landlord_id FROM work_orders w JOIN properties p ON p.id = w.property_id
             GROUP BY p.landlord_id ORDER BY count(*) DESC LIMIT 1"
        }
        Role::Contractor => {
            "SELECT contractor_id FROM work_orders WHERE contractor_id IS NOT NULL
             GROUP BY contractor_id ORDER BY count(*) DESC LIMIT 1"
        }
        Role::Tenant => "SELECT tenant_id FROM work_orders GROUP BY tenant_id ORDER BY count(*) DESC LIMIT 1",
        Role::Staff | Role::Admin => return users::first_staff(store).await.expect("staff"),
    };
    let (id,): (i64,) = Sql::new(sql).fetch_one(store).await.expect("a busy user");
    Actor { user_id: UserId(id), role }
}

fn roles(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let store = runtime.block_on(scale_store());
    let now = scale_now();
    let staff = runtime.block_on(users::first_staff(&store)).expect("staff");
    let (landlord, contractor, tenant) = runtime.block_on(async {
        (
            busiest(&store, Role::Landlord).await,
            busiest(&store, Role::Contractor).await,
            busiest(&store, Role::Tenant).await,
        )
    });
    let admin = runtime.block_on(async {
        let (id,): (i64,) =
            Sql::new("SELECT id FROM users WHERE role = 'admin'").fetch_one(&store).await.expect("admin");
        Actor { user_id: UserId(id), role: Role::Admin }
    });
    let email = runtime.block_on(users::current(&store, staff)).expect("staff user").email;
    let right = SignIn { email: email.clone(), password: DEMO_PASSWORD.into(), remember: false };
    let unknown = SignIn { email: "nobody@example.com".into(), password: DEMO_PASSWORD.into(), remember: false };

    let mut group = c.benchmark_group(scale_store::group_name("100k orders, by role", &store));
    group.sample_size(20);
    group.bench_function("sign in (argon2id verify)", |b| {
        b.to_async(&runtime).iter(|| accounts::sign_in(&store, now, &right))
    });
    group.bench_function("sign in, unknown e-mail (same work)", |b| {
        b.to_async(&runtime).iter(|| async { accounts::sign_in(&store, now, &unknown).await.err() })
    });
    group.bench_function("landlord dashboard (busiest)", |b| {
        b.to_async(&runtime).iter(|| work_orders::landlord_dashboard(&store, landlord, now))
    });
    group.bench_function("contractor dashboard (busiest)", |b| {
        b.to_async(&runtime).iter(|| work_orders::contractor_dashboard(&store, contractor, now))
    });
    group.bench_function("tenant dashboard (busiest)", |b| {
        b.to_async(&runtime).iter(|| work_orders::tenant_dashboard(&store, tenant, now))
    });
    group.bench_function("staff dashboard", |b| {
        b.to_async(&runtime).iter(|| work_orders::staff_dashboard(&store, staff, now))
    });
    // Each row counts its unit's earlier faults: 1.4 s before migration 0028 (#17).
    group.bench_function("staff triage queue", |b| {
        b.to_async(&runtime).iter(|| work_orders::triage_queue(&store, staff, now))
    });
    let search = ListUsers { search: "smith".into() };
    group.bench_function("admin users search 'smith'", |b| {
        b.to_async(&runtime).iter(|| accounts::list_users(&store, admin, now, &search))
    });
    group.finish();
}

criterion_group!(benches, roles);
criterion_main!(benches);
