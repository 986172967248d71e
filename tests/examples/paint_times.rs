//! Measures, in the real app on the 100,000-order store, the time from a click to the
//! next screen painted (two animation frames after it is in the DOM), as a user sees it.
//!
//! `cargo run --release -p plumbline-service --example query_plans` builds the store once;
//! then `dbus-run-session -- cargo run -p plumbline-e2e --example paint_times`.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)]

#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use anyhow::{Context, Result};
use harness::{App, Launch};
use std::path::PathBuf;

const RUNS: usize = 9;

/// Clicks `click`, then waits until every `ready` selector matches, no loading indicator
/// shows, and two frames have been painted. (The app's CSP rightly forbids `eval`.)
const MEASURE: &str = "const [click, ready, done] = arguments;
    const t0 = performance.now();
    document.querySelector(click).click();
    const shown = () => ready.every(s => document.querySelector(s)) && !document.querySelector('.loading');
    (function poll() {
      if (shown()) requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
      else setTimeout(poll, 1);
    })();";

async fn measure(app: &App, click: &str, ready: &[&str]) -> Result<f64> {
    let ready = serde_json::json!(ready);
    let answer = app.client.execute_async(MEASURE, vec![click.into(), ready]).await?;
    answer.as_f64().context("elapsed milliseconds")
}

fn summary(label: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!("{label:<44} median {median:>6.0} ms   min {:>6.0}   max {:>6.0}", samples[0], samples[samples.len() - 1]);
}

#[tokio::main]
async fn main() -> Result<()> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).context("CARGO_TARGET_DIR")?;
    // Another store (e.g. the demo's) can be measured by naming its file.
    let scale = match std::env::var_os("PAINT_STORE") {
        Some(file) => PathBuf::from(file),
        None => target.join("scale-store").join("plumbline.sqlite3"),
    };
    // The app runs with --demo, which keeps its store in a `demo` sub-directory.
    let copy = tempfile::tempdir()?;
    std::fs::create_dir(copy.path().join("demo"))?;
    std::fs::copy(&scale, copy.path().join("demo").join("plumbline.sqlite3"))
        .context("run the query_plans example first")?;
    let app = App::start_in("paint-times", copy, Launch::default()).await?;
    app.sign_in_as_staff().await?;

    let list_ready = &["[data-testid=work-orders]"];
    let detail_ready = &["[data-testid=timeline]"];
    let (mut list, mut detail, mut sort, mut dashboard) = (vec![], vec![], vec![], vec![]);
    for run in 0..RUNS {
        list.push(measure(&app, "[data-nav='Work orders']", list_ready).await?);
        let row = format!("tr.order-row:nth-child({}) td.ref", run * 7 + 1);
        detail.push(measure(&app, &row, detail_ready).await?);
        app.wait_for("[data-testid=back]").await?.click().await?;
        app.wait_for("tr.order-row").await?;
        let sorted = &["th[data-column=Property].sorted", "tr.order-row"];
        sort.push(measure(&app, "th[data-column=Property]", sorted).await?);
        dashboard.push(measure(&app, "[data-nav='Dashboard']", &["[data-testid=workload]"]).await?);
    }
    println!("100,000 orders, {RUNS} runs each, debug or release as built:");
    summary("Work orders (first page, 100 rows + total)", list);
    summary("Detail with timeline", detail);
    summary("Sort by property (first page)", sort);
    summary("Dashboard (22 counts, appointments, activity)", dashboard);
    app.finish().await
}
