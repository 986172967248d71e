//! The desk as a user feels it, in the real app on a store (the 100,000-order one unless
//! `BENCH_STORE` names another file): click-to-painted for each screen, each screen's
//! commands timed inside the webview, the first screen's paint after exec (over five
//! starts), and the memory of the whole process tree after browsing (one round of every
//! screen, then four). Prints tab-separated rows that `scripts/bench.sh` puts into its
//! one table. `--demo` measures a fresh demo store instead; `--floor` only the start and
//! memory of the floor app `PLUMBLINE_APP` names.
//!
//! Click-to-painted is the time from the click to two animation frames after the screen
//! is complete (its content in the DOM, nothing loading), as a user sees it.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)]

#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use anyhow::{Context, Result};
use harness::{App, Launch};
use plumbline_domain::commands;
use std::path::PathBuf;

const RUNS: usize = 15;

/// Clicks `click` (or, for a `<select>`, chooses `value` in it), then waits until
/// `changed`'s text differs from before (when given), every `ready` selector matches and
/// nothing shows as loading, then two frames. (The app's CSP rightly forbids `eval`, so
/// the conditions are data, not code.)
const MEASURE: &str = "const [click, value, ready, changed, done] = arguments;
    const before = changed ? (document.querySelector(changed) || {}).textContent : null;
    const target = document.querySelector(click);
    const t0 = performance.now();
    if (value === null) target.click();
    else { target.value = value; target.dispatchEvent(new Event('change', { bubbles: true })); }
    const now = () => changed ? (document.querySelector(changed) || {}).textContent : null;
    const shown = () => ready.every(s => document.querySelector(s)) && !document.querySelector('.loading')
      && (!changed || now() !== before);
    (function poll() {
      if (!shown()) return setTimeout(poll, 1);
      const inDom = performance.now() - t0;
      requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - t0, inDom])));
    })();";

/// Two animation frames on a screen where nothing changes: the floor under every
/// click-to-painted figure (WebKit's frame time here).
const IDLE_FRAMES: &str = "const done = arguments[0];
    const t0 = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));";

/// Runs one command `runs` times from the webview, one after another; milliseconds each.
const IPC: &str = "const [command, args, runs, done] = arguments;
    (async () => {
      const times = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await window.__TAURI__.core.invoke(command, args);
        times.push(performance.now() - t0);
      }
      done(times);
    })().catch(e => done({ error: String(e && e.message || JSON.stringify(e)) }));";

/// Epoch milliseconds at which the page began loading, its code (the wasm) started, and
/// its first screen was painted: the page marks the last two (`first_paint.rs`; painted
/// is two frames after the first screen other than "Loading…" is in the DOM).
const FIRST_PAINT: &str = "const done = arguments[0];
    (function poll() {
      const at = name => performance.timeOrigin + performance.getEntriesByName(name)[0].startTime;
      if (performance.getEntriesByName('plumbline-first-screen').length == 0) return setTimeout(poll, 10);
      done([performance.timeOrigin, at('plumbline-ui-started'), at('plumbline-first-screen')]);
    })();";

struct Screen {
    name: &'static str,
    click: &'static str,
    value: Option<&'static str>,
    ready: &'static [&'static str],
    changed: Option<&'static str>,
    /// How to get back to where the click makes sense.
    before: Before,
}

#[derive(Clone, Copy, PartialEq)]
enum Before {
    /// On another screen.
    Elsewhere,
    /// On the list as it first shows (no filter, newest first).
    FreshList,
    /// The same, clicking a different row each run: nothing is served warm from the last.
    FreshListRow,
}

const LIST: &[&str] = &["[data-testid=work-orders]"];

fn screens() -> Vec<Screen> {
    vec![
        Screen {
            name: "list",
            click: "[data-nav='Work orders']",
            value: None,
            ready: LIST,
            changed: None,
            before: Before::Elsewhere,
        },
        Screen {
            name: "sorted list",
            click: "th[data-column=Property]",
            value: None,
            ready: &["th[data-column=Property].sorted", "tr.order-row"],
            changed: None,
            before: Before::FreshList,
        },
        Screen {
            name: "filtered list",
            click: "[data-testid=filter-state]",
            value: Some("InProgress"),
            ready: LIST,
            changed: Some("[data-testid=list-count]"),
            before: Before::FreshList,
        },
        Screen {
            name: "detail",
            click: "tr.order-row td.ref",
            value: None,
            ready: &["[data-testid=timeline]"],
            changed: None,
            before: Before::FreshListRow,
        },
        Screen {
            name: "dashboard",
            click: "[data-nav='Dashboard']",
            value: None,
            ready: &["[data-testid=workload]"],
            changed: None,
            before: Before::Elsewhere,
        },
        Screen {
            name: "triage",
            click: "[data-nav='Triage queue']",
            value: None,
            ready: &["[data-testid=triage], [data-testid=triage-count]"],
            changed: None,
            before: Before::Elsewhere,
        },
    ]
}

/// Click to painted, and click to the screen's content in the DOM, in milliseconds.
async fn measure(app: &App, screen: &Screen, click: &str) -> Result<(f64, f64)> {
    let args = vec![
        click.into(),
        screen.value.map_or(serde_json::Value::Null, Into::into),
        serde_json::json!(screen.ready),
        screen.changed.map_or(serde_json::Value::Null, Into::into),
    ];
    let answer = app.client.execute_async(MEASURE, args).await?;
    let times: (f64, f64) = serde_json::from_value(answer).context("elapsed milliseconds")?;
    Ok(times)
}

/// Back on a fresh list (no filter, newest first), so every run clicks the same thing.
async fn back_to_list(app: &App) -> Result<()> {
    app.go_to("Dashboard").await?;
    app.wait_for("[data-testid=workload]").await?;
    app.go_to("Work orders").await?;
    if let Ok(clear) = app.client.find(fantoccini::Locator::Css("[data-testid=clear-filters]")).await {
        clear.click().await?;
    }
    app.wait_for("tr.order-row").await?;
    Ok(())
}

fn percentile(sorted: &[f64], share: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[index]
}

fn row(kind: &str, name: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    println!("{kind}\t{name}\t{:.0}\t{:.0}", percentile(&samples, 0.5), percentile(&samples, 0.95));
}

/// Each screen's click-to-painted and click-to-in-DOM times, over `RUNS` clicks.
type ScreenTimes = (&'static str, Vec<f64>, Vec<f64>);

async fn click_times(app: &App) -> Result<()> {
    for (name, painted, in_dom) in browse(app).await? {
        row("click", name, painted);
        row("in DOM", name, in_dom);
    }
    let mut idle = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        idle.push(app.client.execute_async(IDLE_FRAMES, vec![]).await?.as_f64().context("frames")?);
    }
    row("frames", "two frames, nothing changing", idle);
    Ok(())
}

/// Clicks through every screen `RUNS` times, timing each click.
async fn browse(app: &App) -> Result<Vec<ScreenTimes>> {
    let mut times = Vec::new();
    for screen in screens() {
        let (mut painted, mut in_dom) = (Vec::with_capacity(RUNS), Vec::with_capacity(RUNS));
        for run in 0..RUNS {
            let click = match screen.before {
                Before::Elsewhere => {
                    app.go_to(if screen.name == "dashboard" { "Work orders" } else { "Dashboard" }).await?;
                    app.wait_for("main").await?;
                    screen.click.to_owned()
                }
                Before::FreshList => {
                    back_to_list(app).await?;
                    screen.click.to_owned()
                }
                Before::FreshListRow => {
                    back_to_list(app).await?;
                    format!("tr.order-row[aria-rowindex='{}'] td.ref", run + 2)
                }
            };
            let (to_painted, to_dom) = measure(app, &screen, &click).await?;
            painted.push(to_painted);
            in_dom.push(to_dom);
        }
        times.push((screen.name, painted, in_dom));
    }
    Ok(times)
}

async fn ipc_times(app: &App) -> Result<()> {
    let list = |filter: serde_json::Value, column: &str| serde_json::json!({ "request": { "filter": filter, "sort": { "column": column, "descending": false }, "limit": 100 } });
    let first = app.invoke::<commands::ListWorkOrders>(list(serde_json::json!({}), "Opened")).await?;
    let order_id = first["ok"]["rows"][0]["id"].as_i64().context("an order to open")?;
    let commands = [
        ("list_work_orders", "list", list(serde_json::json!({}), "Opened")),
        ("list_work_orders", "sorted list", list(serde_json::json!({}), "Property")),
        ("list_work_orders", "filtered list", list(serde_json::json!({ "states": ["InProgress"] }), "Opened")),
        ("get_work_order", "detail", serde_json::json!({ "id": order_id })),
        ("staff_dashboard", "dashboard", serde_json::json!({})),
        ("triage_queue", "triage", serde_json::json!({})),
    ];
    for (command, screen, args) in commands {
        let answer = app.client.execute_async(IPC, vec![command.into(), args, RUNS.into()]).await?;
        let times: Vec<f64> = serde_json::from_value(answer.clone()).with_context(|| format!("{command}: {answer}"))?;
        row("ipc", &format!("{screen} ({command})"), times);
    }
    Ok(())
}

/// `pid` and every process below it.
fn process_tree(pid: u32) -> Vec<u32> {
    let (mut tree, mut pending) = (Vec::new(), vec![pid]);
    while let Some(pid) = pending.pop() {
        tree.push(pid);
        let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        pending.extend(children.split_whitespace().filter_map(|child| child.parse::<u32>().ok()));
    }
    tree
}

/// Proportional set size of `pid` and every process below it, in MB, by process name
/// (the app, WebKit's web and network processes).
fn tree_pss_mb(pid: u32) -> Vec<(String, f64)> {
    let mut by_name: Vec<(String, f64)> = Vec::new();
    for pid in process_tree(pid) {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let kb = rollup
            .lines()
            .find_map(|line| line.strip_prefix("Pss:"))
            .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
        match by_name.iter_mut().find(|(known, _)| *known == name) {
            Some((_, mb)) => *mb += kb as f64 / 1024.0,
            None => by_name.push((name, kb as f64 / 1024.0)),
        }
    }
    by_name
}

/// The tree's PSS as a row, and each process's beside it.
fn memory_rows(when: &str, pid: u32) {
    let by_name = tree_pss_mb(pid);
    println!("memory\t{when} (PSS MB)\t{:.0}\t", by_name.iter().map(|(_, mb)| mb).sum::<f64>());
    for (name, mb) in by_name {
        println!("memory\t  {when}: {name}\t{mb:.0}\t");
    }
}

/// CPU time (clock ticks) used so far by `pid` and every process below it.
fn tree_cpu_ticks(pid: u32) -> u64 {
    let ticks = |pid: u32| -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let fields: Vec<&str> = stat.rsplit_once(')').map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
        // utime and stime: fields 14 and 15 of stat, 12 and 13 after the name.
        fields.get(11..13).map_or(0, |t| t.iter().filter_map(|v| v.parse::<u64>().ok()).sum())
    };
    process_tree(pid).into_iter().map(ticks).sum()
}

/// Waits (up to two minutes) until the app has settled: a copied store catches up a few
/// seconds after start (orders that closed themselves meanwhile, their notifications,
/// the first backup), and clicks measured during that would time the catching up, not
/// the screens.
async fn until_idle(pid: u32) {
    // The engine's first turn comes 5 s after start (`src-tauri/src/engine.rs`).
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    let mut quiet = 0;
    for _ in 0..240 {
        let before = tree_cpu_ticks(pid);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        // Under 5% of one core (100 ticks a second).
        quiet = if tree_cpu_ticks(pid) - before <= 2 { quiet + 1 } else { 0 };
        if quiet == 4 {
            return;
        }
    }
}

/// The app's process: the one running `binary` (WebKitWebDriver started it).
fn app_pid(binary: &std::path::Path) -> Option<u32> {
    let wanted = binary.canonicalize().ok()?;
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == wanted))
}

/// Waits (up to ten seconds) until no process runs `binary`, so the next start's
/// process is the only one found.
async fn until_gone(binary: &std::path::Path) {
    for _ in 0..100 {
        if app_pid(binary).is_none() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Epoch milliseconds at which `pid` was started (from its start time in clock ticks).
fn started_at_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let ticks: f64 = after_name.split_whitespace().nth(19)?.parse().ok()?;
    let boot: f64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    Some((boot + ticks / 100.0) * 1000.0)
}

/// A data directory holding a copy of the store to measure (`BENCH_STORE`, else the
/// 100,000-order one), where `--demo` looks for it.
fn copy_of_store() -> Result<tempfile::TempDir> {
    let store = match std::env::var_os("BENCH_STORE") {
        Some(file) => PathBuf::from(file),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).context("CARGO_TARGET_DIR")?;
            target.join("scale-store").join("plumbline.sqlite3")
        }
    };
    let copy = tempfile::tempdir()?;
    std::fs::create_dir(copy.path().join("demo"))?;
    std::fs::copy(&store, copy.path().join("demo").join("plumbline.sqlite3")).context("the store to measure on")?;
    Ok(copy)
}

/// Cold starts measured per figure: one start is too noisy to compare (a few hundred ms
/// between runs on this machine).
const STARTS: usize = 5;

/// Launches the app as `arg` says (see `main`).
async fn launch(arg: &str) -> Result<App> {
    match arg {
        // A fresh demo agency, seeded by the app itself as a newcomer's first start is;
        // or the floor app (`PLUMBLINE_APP` names it), which has no store at all.
        "--demo" | "--floor" => App::start("screen-times-demo", Launch::default()).await,
        _ => App::start_in("screen-times", copy_of_store()?, Launch::default()).await,
    }
}

/// Exec to the first screen painted, and its three parts, for the app just launched.
async fn start_split(app: &App, pid: u32) -> Result<[f64; 4]> {
    let marks: Vec<f64> = serde_json::from_value(app.client.execute_async(FIRST_PAINT, vec![]).await?)?;
    let [loading, running, painted] = marks[..] else { anyhow::bail!("the start's marks: {marks:?}") };
    let exec = started_at_ms(pid).context("the app's start time")?;
    Ok([painted - exec, loading - exec, running - loading, painted - running])
}

fn start_rows(splits: &[[f64; 4]]) {
    let names = [
        "first screen painted after exec",
        "  exec to the page loading",
        "  page loading to its code running",
        "  code running to first screen painted",
    ];
    for (part, name) in names.into_iter().enumerate() {
        row("start", name, splits.iter().map(|split| split[part]).collect());
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let binary = PathBuf::from(std::env::var_os("PLUMBLINE_APP").context("PLUMBLINE_APP")?);
    let arg = std::env::args().nth(1).unwrap_or_default();
    let mut splits = Vec::with_capacity(STARTS);
    for _ in 1..STARTS {
        let app = launch(&arg).await?;
        splits.push(start_split(&app, app_pid(&binary).context("the app's process")?).await?);
        app.finish().await?;
        until_gone(&binary).await;
    }
    // The last start stays up to be browsed.
    let app = launch(&arg).await?;
    let pid = app_pid(&binary).context("the app's process")?;
    splits.push(start_split(&app, pid).await?);
    start_rows(&splits);
    if arg == "--floor" {
        // Nothing to browse: its memory with its one screen up is the floor's figure.
        memory_rows("after browsing", pid);
        return app.finish().await;
    }
    memory_rows("at sign-in", pid);
    // The copied store's catching up is done before anyone signs in, so that the
    // figures below are the screens' own (as they were when the engine's first turn
    // came at start).
    until_idle(pid).await;
    app.sign_in_as_staff().await?;
    until_idle(pid).await;
    click_times(&app).await?;
    ipc_times(&app).await?;
    memory_rows("after browsing", pid);
    // WebKit's web process grows with every screen drawn, and keeps what it grew by (the
    // wasm's memory and the page's elements barely move), so a day at the desk holds
    // more than the first round shows (#17).
    for _ in 1..4 {
        browse(&app).await?;
    }
    memory_rows("after browsing 4 rounds", pid);
    app.finish().await
}
