//! A bounded load test of the agency server on loopback: the server in-process on the
//! 100,000-order PostgreSQL store (`PLUMBLINE_BENCH_POSTGRES_URL`; generated into it first
//! when it is empty, as the service's benchmarks do), and simulated desktops — mostly
//! staff, some landlords, contractors and tenants of the generated agency — each looping
//! what a person at the desk does: the list (sometimes filtered), an order, its thread
//! (sometimes writing), a step the order's state offers them, their dashboard and the bell.
//!
//! Each desktop is a closed loop with its own HTTPS connection and bearer token, one
//! request at a time (no think time unless `--think-ms`). Per command it prints the count,
//! throughput and p50/p99 latency, and the refusals by code. Only `conflict` is expected
//! (two desktops taking a step on the same version); any other error fails the run.
//!
//!   scripts/load-test.sh [--desktops 50] [--seconds 60]

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::Parser;
use plumbline_domain::api::{
    ActOnWorkOrder, ContractorFilter, ListWorkOrders, PostMessage, SignIn, Step, WorkOrderDetail, WorkOrderFilter,
    WorkOrderPage,
};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{Action, Command, Priority, Role, State, commands};
use plumbline_server::{Config, Limits, RateLimit, Server, TlsSource};
use plumbline_service::Store;
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::{Engine, Sql};
use plumbline_service::seed::{self, AgencySize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// The database to run on (and to generate the scale agency into when it is empty).
const POSTGRES_URL_VAR: &str = "PLUMBLINE_BENCH_POSTGRES_URL";
/// The scale store's seed and instant, as `service/benches/scale_store.rs` has them.
const SCALE_SEED: u64 = 100_000;
const PAGE_SIZE: u32 = 100;

#[derive(Debug, Parser)]
#[command(about = "A bounded load test of the agency server on the 100,000-order PostgreSQL store")]
struct Cli {
    /// Simulated desktops, each signed in as a user of the generated agency.
    #[arg(long, default_value_t = 50)]
    desktops: usize,
    /// How long the desktops keep working.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// A pause after each round of a desktop's work (0: a closed loop at full speed).
    #[arg(long, default_value_t = 0)]
    think_ms: u64,
    /// Run the server's background engine (SLA alerts, reminders, auto-close) every
    /// minute, as the real server does.
    #[arg(long)]
    background: bool,
}

fn scale_now() -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z")?.with_timezone(&Utc))
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let url = std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.is_empty()).with_context(|| {
        format!("{POSTGRES_URL_VAR} must name a PostgreSQL database (scripts/load-test.sh sets it)")
    })?;
    let state = tempfile::tempdir()?;
    let store = Store::connect(&url, &state.path().join("files")).await?;
    anyhow::ensure!(store.engine() == Engine::Postgres, "the load test runs on PostgreSQL");
    if store.is_empty().await? {
        let started = Instant::now();
        let made = seed::generate(&store, AgencySize::SCALE, SCALE_SEED, scale_now()?).await?;
        eprintln!(
            "generated {} orders, {} events, {} users in {:.1} s",
            made.orders,
            made.events,
            made.users,
            started.elapsed().as_secs_f64()
        );
        // Statistics and the visibility map, which autovacuum would only make later.
        Sql::new("VACUUM ANALYZE").execute(&store).await?;
    }

    let people = pick_people(&store, cli.desktops).await?;
    let config = Config {
        listen: "127.0.0.1:0".parse()?,
        tls: TlsSource::SelfSigned { state_dir: state.path().to_owned() },
        demo: false,
        // Every desktop signs in from 127.0.0.1, and many share the agency's three
        // accounts: the per-client and per-address sign-in limits would refuse an office
        // this size behind one address, so they are raised here (and only here).
        limits: Limits {
            sign_ins_per_client: RateLimit { max: 10_000, per: Duration::from_secs(60) },
            sign_ins_per_address: RateLimit { max: 10_000, per: Duration::from_secs(60) },
            ..Limits::default()
        },
        background_every: cli.background.then_some(Duration::from_secs(60)),
        clock: plumbline_server::now,
        web_root: None,
    };
    let server = plumbline_server::start(store.clone(), config).await?;
    let base = format!("https://127.0.0.1:{}", server.local_addr().port());

    let mut desktops = Vec::new();
    let signing_in = Instant::now();
    for (number, (email, role)) in people.into_iter().enumerate() {
        let http = client_trusting(&server)?;
        let token = sign_in(&http, &base, &email).await.with_context(|| format!("signing in as {email}"))?;
        desktops.push(Desktop::new(number, role, http, base.clone(), token));
    }
    let mut roles: BTreeMap<&str, usize> = BTreeMap::new();
    for desktop in &desktops {
        *roles.entry(desktop.role.as_str()).or_default() += 1;
    }
    eprintln!(
        "{} desktops signed in in {:.1} s ({roles:?}); working for {} s",
        desktops.len(),
        signing_in.elapsed().as_secs_f64(),
        cli.seconds
    );

    let think = Duration::from_millis(cli.think_ms);
    let started = Instant::now();
    let until = started + Duration::from_secs(cli.seconds);
    let running: Vec<_> = desktops.into_iter().map(|desktop| tokio::spawn(desktop.work(until, think))).collect();
    let mut stats = Stats::default();
    for desktop in running {
        stats.merge(desktop.await?);
    }
    let elapsed = started.elapsed();
    server.shutdown().await?;

    let unexpected = stats.print(elapsed, cli.desktops);
    if unexpected > 0 {
        bail!("{unexpected} unexpected errors (anything but conflict)");
    }
    Ok(())
}

/// Users for the desktops: 60 % staff (the agency's staff and admin accounts, several
/// desktops each), and of the rest, landlords, contractors and tenants with the most
/// orders (so each has work to look at).
async fn pick_people(store: &Store, count: usize) -> Result<Vec<(String, Role)>> {
    let staff_count = count * 3 / 5;
    let others = count - staff_count;
    let landlords = others * 2 / 5;
    let contractors = (others - landlords) / 2;
    let tenants = others - landlords - contractors;

    let agency: Vec<(String, String)> = Sql::new("SELECT email, role FROM users WHERE role IN (?, ?) ORDER BY id")
        .bind(Role::Staff.as_str())
        .bind(Role::Admin.as_str())
        .fetch_all(store)
        .await?;
    anyhow::ensure!(!agency.is_empty(), "the store has no staff");
    let mut people = Vec::new();
    for i in 0..staff_count {
        let (email, role) = &agency[i % agency.len()];
        people.push((email.clone(), role_named(role)?));
    }
    let busiest = [
        (
            "SELECT u.email FROM work_orders w JOIN properties p ON p.id = w.property_id JOIN users u ON u.id = p.landlord_id \
             GROUP BY u.id, u.email ORDER BY count(*) DESC, u.id LIMIT ?",
            landlords,
            Role::Landlord,
        ),
        (
            "SELECT u.email FROM work_orders w JOIN users u ON u.id = w.contractor_id \
             WHERE w.state IN ('Assigned', 'Accepted', 'Scheduled', 'InProgress') \
             GROUP BY u.id, u.email ORDER BY count(*) DESC, u.id LIMIT ?",
            contractors,
            Role::Contractor,
        ),
        (
            "SELECT u.email FROM work_orders w JOIN users u ON u.id = w.tenant_id \
             WHERE w.state IN ('Scheduled', 'Completed') \
             GROUP BY u.id, u.email ORDER BY count(*) DESC, u.id LIMIT ?",
            tenants,
            Role::Tenant,
        ),
    ];
    for (query, how_many, role) in busiest {
        let emails: Vec<(String,)> = Sql::new(query).bind(how_many as i64).fetch_all(store).await?;
        people.extend(emails.into_iter().map(|(email,)| (email, role)));
    }
    // Spread the roles over the sign-in order, so every role is working from the start.
    people.sort_by_key(|(email, _)| accounts_order(email));
    Ok(people)
}

fn accounts_order(email: &str) -> u64 {
    email.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

fn role_named(name: &str) -> Result<Role> {
    Role::ALL.into_iter().find(|role| role.as_str() == name).with_context(|| format!("unknown role {name}"))
}

/// An HTTPS client that trusts the server's own certificate and nothing else.
fn client_trusting(server: &Server) -> Result<reqwest::Client> {
    let mut roots = RootCertStore::empty();
    roots.add(server.identity().certificate.clone())?;
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(reqwest::Client::builder().use_preconfigured_tls(config).timeout(Duration::from_secs(30)).build()?)
}

async fn sign_in(http: &reqwest::Client, base: &str, email: &str) -> Result<String> {
    let command = commands::SignIn {
        request: SignIn { email: email.to_owned(), password: DEMO_PASSWORD.to_owned(), remember: false },
    };
    let response = http.post(format!("{base}/api/v1/sign_in")).json(&command).send().await?;
    let status = response.status();
    let body: Value = response.json().await?;
    match body.get("token").and_then(Value::as_str) {
        Some(token) if status.is_success() => Ok(token.to_owned()),
        _ => bail!("refused ({status}): {body}"),
    }
}

/// A small deterministic generator per desktop (xorshift64*), so a run's mix is repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Desktop {
    role: Role,
    http: reqwest::Client,
    base: String,
    token: String,
    rng: Rng,
    stats: Stats,
}

impl Desktop {
    fn new(number: usize, role: Role, http: reqwest::Client, base: String, token: String) -> Self {
        let rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (number as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9));
        Self { role, http, base, token, rng, stats: Stats::default() }
    }

    fn is_agency(&self) -> bool {
        matches!(self.role, Role::Staff | Role::Admin)
    }

    async fn work(mut self, until: Instant, think: Duration) -> Stats {
        while Instant::now() < until {
            self.round().await;
            if !think.is_zero() {
                tokio::time::sleep(think).await;
            }
        }
        self.stats
    }

    /// One round at the desk: the list, an order from it, its thread, maybe a step, the
    /// dashboard now and then, and the bell.
    async fn round(&mut self) {
        let filter = match self.rng.chance(40) {
            true => self.a_filter(),
            false => WorkOrderFilter::default(),
        };
        let list = ListWorkOrders { filter, sort: Default::default(), after: None, limit: PAGE_SIZE };
        let page: Option<WorkOrderPage> = self.call(&commands::ListWorkOrders { request: list }).await;
        if let Some(page) = page.filter(|page| !page.rows.is_empty()) {
            // People work from the top of the list: desktops meet on the same orders.
            let row = &page.rows[self.rng.below(page.rows.len().min(10))];
            let id = row.id;
            if let Some(detail) = self.call(&commands::GetWorkOrder { id }).await {
                self.call(&commands::ListMessages { id, before: None }).await;
                if self.rng.chance(25) {
                    let internal = self.is_agency() && self.rng.chance(30);
                    let body =
                        format!("Load test note {} from a {} desktop", self.rng.next() % 10_000, self.role.as_str());
                    self.call(&commands::PostMessage { request: PostMessage { id, body, internal } }).await;
                }
                if self.rng.chance(50)
                    && let Some(step) = self.a_step(&detail)
                {
                    let request = ActOnWorkOrder { id, version: detail.version, step };
                    self.call(&commands::ActOnWorkOrder { request }).await;
                }
            }
        }
        if self.rng.chance(30) {
            match self.role {
                Role::Staff | Role::Admin => {
                    self.call(&commands::StaffDashboard {}).await;
                }
                Role::Landlord => {
                    self.call(&commands::LandlordDashboard {}).await;
                }
                Role::Contractor => {
                    self.call(&commands::ContractorDashboard {}).await;
                }
                Role::Tenant => {
                    self.call(&commands::TenantDashboard {}).await;
                }
            }
        }
        self.call(&commands::Notifications {}).await;
    }

    /// A filter this role uses: staff's triage views; the others' own to-do lists.
    fn a_filter(&mut self) -> WorkOrderFilter {
        let states = |states: &[State]| WorkOrderFilter { states: states.to_vec(), ..Default::default() };
        match self.role {
            Role::Staff | Role::Admin => match self.rng.below(4) {
                0 => states(&[State::New]),
                1 => WorkOrderFilter { priority: Some(Priority::Emergency), ..Default::default() },
                2 => WorkOrderFilter { sla: Some(SlaStatus::AtRisk), ..Default::default() },
                _ => WorkOrderFilter { contractor: Some(ContractorFilter::Unassigned), ..states(&[State::New]) },
            },
            Role::Landlord => states(&[State::AwaitingApproval]),
            Role::Contractor => states(&[State::Assigned, State::Scheduled]),
            Role::Tenant => states(&[State::Completed, State::Scheduled]),
        }
    }

    /// A step the order's state offers this user, with what it needs.
    fn a_step(&mut self, detail: &WorkOrderDetail) -> Option<Step> {
        let may = |action: Action| detail.allowed_actions.contains(&action);
        match self.role {
            Role::Staff | Role::Admin if may(Action::SetPriority) => {
                let others: Vec<Priority> =
                    Priority::ALL.into_iter().filter(|priority| *priority != detail.row.priority).collect();
                let priority = others[self.rng.below(others.len())];
                Some(Step::SetPriority { priority, reason: "Load test: reprioritised".to_owned() })
            }
            Role::Landlord if may(Action::Approve) => Some(Step::Approve { note: "Go ahead".to_owned() }),
            Role::Contractor if may(Action::Accept) => Some(Step::Accept),
            Role::Contractor if may(Action::Start) => Some(Step::Start),
            Role::Tenant if may(Action::ConfirmDone) => Some(Step::ConfirmDone),
            Role::Tenant if may(Action::RequestReschedule) => {
                Some(Step::RequestReschedule { note: "Could you come another day?".to_owned() })
            }
            Role::Staff | Role::Admin | Role::Landlord | Role::Contractor | Role::Tenant => None,
        }
    }

    /// Runs `command`, timing it; the answer, or `None` after counting the refusal.
    async fn call<C: Command>(&mut self, command: &C) -> Option<C::Answer> {
        let started = Instant::now();
        let sent = self
            .http
            .post(format!("{}/api/v1/{}", self.base, C::NAME))
            .bearer_auth(&self.token)
            .json(command)
            .send()
            .await;
        let outcome = match sent {
            Ok(response) => {
                let status = response.status();
                match response.bytes().await {
                    Ok(body) if status.is_success() => serde_json::from_slice::<C::Answer>(&body)
                        .map_err(|err| ("unreadable_answer".to_owned(), err.to_string())),
                    Ok(body) => Err(refusal(status, &body)),
                    Err(err) => Err(("transport".to_owned(), err.to_string())),
                }
            }
            Err(err) => Err(("transport".to_owned(), err.to_string())),
        };
        let took = started.elapsed();
        let command_stats = self.stats.commands.entry(C::NAME).or_default();
        command_stats.micros.push(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
        match outcome {
            Ok(answer) => Some(answer),
            Err((code, message)) => {
                *command_stats.errors.entry(code.clone()).or_default() += 1;
                self.stats.examples.entry((C::NAME, code)).or_insert(message);
                None
            }
        }
    }
}

/// The error's code and message from a refusal's `{code, message, field}` body.
fn refusal(status: reqwest::StatusCode, body: &[u8]) -> (String, String) {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| parsed.as_ref().and_then(|body| body.get(name)).and_then(Value::as_str).map(str::to_owned);
    match field("code") {
        Some(code) => (code, field("message").unwrap_or_default()),
        None => (format!("http_{}", status.as_u16()), String::from_utf8_lossy(body).into_owned()),
    }
}

#[derive(Debug, Default)]
struct CommandStats {
    /// Every request's latency (answered or refused), in microseconds.
    micros: Vec<u64>,
    errors: BTreeMap<String, u64>,
}

#[derive(Debug, Default)]
struct Stats {
    commands: BTreeMap<&'static str, CommandStats>,
    /// The first message of each (command, code), to tell what went wrong.
    examples: BTreeMap<(&'static str, String), String>,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        for (name, theirs) in other.commands {
            let ours = self.commands.entry(name).or_default();
            ours.micros.extend(theirs.micros);
            for (code, count) in theirs.errors {
                *ours.errors.entry(code).or_default() += count;
            }
        }
        for (key, message) in other.examples {
            self.examples.entry(key).or_insert(message);
        }
    }

    /// Prints the table; answers how many errors were not conflicts.
    fn print(&mut self, elapsed: Duration, desktops: usize) -> u64 {
        let seconds = elapsed.as_secs_f64();
        println!("{desktops} desktops for {seconds:.1} s against the server on loopback (PostgreSQL, 100,000 orders)");
        println!();
        println!("| command | requests | per second | p50 ms | p99 ms | max ms | errors |");
        println!("|---|---:|---:|---:|---:|---:|---|");
        let (mut total, mut unexpected) = (0, 0);
        let mut all = Vec::new();
        for (name, stats) in &mut self.commands {
            stats.micros.sort_unstable();
            all.extend_from_slice(&stats.micros);
            total += stats.micros.len();
            let errors: Vec<String> = stats.errors.iter().map(|(code, count)| format!("{count} {code}")).collect();
            unexpected +=
                stats.errors.iter().filter(|(code, _)| code.as_str() != "conflict").map(|(_, n)| n).sum::<u64>();
            println!(
                "| {name} | {} | {:.1} | {} | {} | {} | {} |",
                stats.micros.len(),
                stats.micros.len() as f64 / seconds,
                millis(percentile(&stats.micros, 50.0)),
                millis(percentile(&stats.micros, 99.0)),
                millis(stats.micros.last().copied().unwrap_or(0)),
                if errors.is_empty() { "—".to_owned() } else { errors.join(", ") },
            );
        }
        all.sort_unstable();
        println!(
            "| **all** | {total} | {:.1} | {} | {} | {} | {unexpected} unexpected |",
            total as f64 / seconds,
            millis(percentile(&all, 50.0)),
            millis(percentile(&all, 99.0)),
            millis(all.last().copied().unwrap_or(0)),
        );
        if !self.examples.is_empty() {
            println!();
            for ((name, code), message) in &self.examples {
                println!("first {code} from {name}: {message}");
            }
        }
        unexpected
    }
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn millis(micros: u64) -> String {
    format!("{:.1}", micros as f64 / 1000.0)
}
