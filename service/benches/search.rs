//! Search as the palette asks it, one keystroke at a time, on 100,000 orders with their
//! events and messages: `cargo bench -p plumbline-service --bench search`
//! (`PLUMBLINE_BENCH_POSTGRES_URL` for PostgreSQL, as `scripts/bench.sh` sets).
//!
//! First every prefix of a few things people type is searched, each 20 times, and the
//! latencies' percentiles printed (the palette asks once per keystroke, so its p99 is
//! what a typist feels); then criterion measures some whole words.

mod scale_store;

use criterion::{Criterion, criterion_group, criterion_main};
use plumbline_domain::Actor;
use plumbline_domain::api::{Search, WorkOrderFilter};
use plumbline_service::{Store, search, users, work_orders};
use scale_store::{scale_now, scale_store};
use std::time::{Duration, Instant};

/// What people type: a name and an issue, a street, a misspelt name, a reference, a
/// word from a message.
const TYPED: &[&str] =
    &["olivia smith boiler", "quay street leak", "okafr", "PL-004321", "part thursday", "condensaton"];

const ROUNDS: usize = 20;

fn request(text: &str) -> Search {
    Search { text: text.to_owned(), limit: 5 }
}

/// Every prefix of every typed text, `ROUNDS` times each, as `actor`: the latencies,
/// each with what was typed.
fn keystrokes(runtime: &tokio::runtime::Runtime, store: &Store, actor: Actor) -> Vec<(Duration, &'static str)> {
    let mut taken = Vec::new();
    for text in TYPED {
        for end in 1..=text.len() {
            let typed = request(&text[..end]);
            for _ in 0..ROUNDS {
                let started = Instant::now();
                runtime.block_on(search::search(store, actor, &typed)).expect("search");
                taken.push((started.elapsed(), &text[..end]));
            }
        }
    }
    taken.sort();
    taken
}

fn percentile(sorted: &[(Duration, &str)], share: f64) -> f64 {
    let index = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].0.as_secs_f64() * 1000.0
}

/// The percentiles, and the slowest things typed (what to look at next).
fn print_percentiles(who: &str, store: &Store, taken: &[(Duration, &str)]) {
    let mut slowest: Vec<&str> = Vec::new();
    for (_, typed) in taken.iter().rev() {
        if !slowest.contains(typed) && slowest.len() < 4 {
            slowest.push(typed);
        }
    }
    eprintln!(
        "{}: {} keystrokes as {who}: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms (slowest: {slowest:?})",
        scale_store::group_name("search per keystroke", store),
        taken.len(),
        percentile(taken, 0.50),
        percentile(taken, 0.95),
        percentile(taken, 0.99),
        percentile(taken, 1.0),
    );
}

fn searches(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let store = runtime.block_on(scale_store());
    let staff = runtime.block_on(users::first_staff(&store)).expect("staff");
    let landlord = runtime.block_on(scale_store::a_landlord(&store));
    print_percentiles("staff", &store, &keystrokes(&runtime, &store, staff));
    print_percentiles("a landlord", &store, &keystrokes(&runtime, &store, landlord));

    let mut group = c.benchmark_group(scale_store::group_name("search", &store));
    for text in ["boiler", "quay street leak", "okafr", "part thursday"] {
        let typed = request(text);
        group.bench_function(format!("palette '{text}' (staff)"), |b| {
            b.to_async(&runtime).iter(|| search::search(&store, staff, &typed))
        });
    }
    let boiler = request("boiler");
    group.bench_function("palette 'boiler' (landlord)", |b| {
        b.to_async(&runtime).iter(|| search::search(&store, landlord, &boiler))
    });
    let filter = WorkOrderFilter { text: Some("boiler".into()), ..WorkOrderFilter::default() };
    group.bench_function("list count 'boiler' (staff)", |b| {
        b.to_async(&runtime).iter(|| work_orders::count(&store, staff, scale_now(), &filter))
    });
    group.finish();
}

criterion_group!(benches, searches);
criterion_main!(benches);
