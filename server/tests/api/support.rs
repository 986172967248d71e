//! A real server per test: started in-process on a free loopback port with a freshly
//! made self-signed certificate, on a store of its own — a SQLite file in a temp
//! directory, or, when `PLUMBLINE_TEST_POSTGRES_URL` names a PostgreSQL server
//! (scripts/with-postgres.sh), a database of its own there (the demo agency seeded once
//! into a template and copied per test, as the service's tests do). The client speaks
//! HTTPS and trusts exactly that server's certificate.

use chrono::{DateTime, Utc};
use plumbline_domain::Role;
use plumbline_server::{Clock, Config, Limits, Server, TlsSource};
use plumbline_service::accounts::{DEMO_PASSWORD, demo_accounts};
use plumbline_service::db::{Pool, Sql};
use plumbline_service::{Store, seed};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tempfile::TempDir;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

pub const POSTGRES_URL_VAR: &str = "PLUMBLINE_TEST_POSTGRES_URL";

/// A store of the test's own; its PostgreSQL database (if any) is dropped with it.
pub struct TestStore {
    pub store: Store,
    _dir: TempDir,
    database: Option<(String, String)>,
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.database.take() {
            // FORCE ends the pool's connections, which close only after this.
            let dropped = on_own_runtime(move || async move {
                admin(&admin_url, &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await
            });
            if let Err(error) = dropped {
                eprintln!("warning: test database left behind: {error}");
            }
        }
    }
}

/// The instant every demo agency in this test process is seeded at, and the fixed clock
/// of servers compared with the service in process.
pub fn seeded_at() -> DateTime<Utc> {
    static AT: OnceLock<DateTime<Utc>> = OnceLock::new();
    *AT.get_or_init(plumbline_server::now)
}

pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.is_empty())
}

/// A migrated store holding the demo agency, on the engine under test.
pub async fn demo_store() -> TestStore {
    match postgres_url() {
        Some(url) => postgres_database(&url, &format!("TEMPLATE \"{}\"", demo_template(&url))).await,
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = Store::open(dir.path()).await.expect("store opens");
            assert!(seed::demo_if_empty(&store, seeded_at()).await.expect("demo seeds"));
            TestStore { store, _dir: dir, database: None }
        }
    }
}

/// Two stores holding the same demo agency, row for row: one for a server, one to run
/// the same commands on in process.
pub async fn twin_demo_stores() -> (TestStore, TestStore) {
    if let Some(url) = postgres_url() {
        let template = format!("TEMPLATE \"{}\"", demo_template(&url));
        return (postgres_database(&url, &template).await, postgres_database(&url, &template).await);
    }
    let first = tempfile::tempdir().expect("temp dir");
    let store = Store::open(first.path()).await.expect("store opens");
    assert!(seed::demo_if_empty(&store, seeded_at()).await.expect("demo seeds"));
    if let Pool::Sqlite(pool) = store.pool() {
        // Closing the last connection folds the write-ahead log into the file.
        pool.close().await;
    }
    let second = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(first.path()).expect("listed") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, second.path().join(path.file_name().expect("a name"))).expect("copied");
        }
    }
    let reopen = |dir: TempDir| async move {
        let store = Store::open(dir.path()).await.expect("store opens");
        TestStore { store, _dir: dir, database: None }
    };
    (reopen(first).await, reopen(second).await)
}

async fn postgres_database(admin_url: &str, options: &str) -> TestStore {
    let name = fresh_name("plumbline_server_test");
    admin(admin_url, &format!("CREATE DATABASE \"{name}\" {options}")).await.expect("test database created");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(&with_database(admin_url, &name), &dir.path().join("files")).await.expect("connects");
    TestStore { store, _dir: dir, database: Some((admin_url.to_owned(), name)) }
}

/// The demo agency seeded once per test process, for each test's database to copy.
fn demo_template(admin_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let admin_url = admin_url.to_owned();
        on_own_runtime(move || async move { seed_template(&admin_url).await.map_err(|error| format!("{error:#}")) })
    });
    match template {
        Ok(name) => name,
        Err(error) => panic!("seeding the demo template database failed: {error}"),
    }
}

async fn seed_template(admin_url: &str) -> anyhow::Result<String> {
    let name = fresh_name("plumbline_server_demo");
    admin(admin_url, &format!("CREATE DATABASE \"{name}\"")).await?;
    let files = tempfile::tempdir()?;
    let store = Store::connect(&with_database(admin_url, &name), files.path()).await?;
    anyhow::ensure!(seed::demo_if_empty(&store, seeded_at()).await?, "the new database was not empty");
    // A database with open sessions cannot be copied.
    if let Pool::Postgres(pool) = store.pool() {
        pool.close().await;
    }
    Ok(name)
}

async fn admin(admin_url: &str, statement: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(admin_url).await?;
    sqlx::raw_sql(statement).execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// Runs `work` to the end on a thread with a runtime of its own (a test's runtime cannot
/// be blocked on from `Drop`, and the template must outlive the first test's runtime).
fn on_own_runtime<T, F>(work: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T>,
{
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(work())
    })
    .join()
    .expect("the helper thread finished")
}

fn fresh_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let random = RandomState::new().hash_one(std::process::id()) as u32;
    format!("{prefix}_{}_{}_{random:08x}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let server = base[authority..].find('/').map_or(base, |slash| &base[..authority + slash]);
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// A running server on the demo agency, and a client for it.
pub struct TestServer {
    server: Option<Server>,
    pub client: reqwest::Client,
    pub base: String,
    pub test_store: TestStore,
    _state: TempDir,
}

/// An answer: its status and its JSON body (`Value::Null` when it has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    /// The error's `code` (`not_found`, `not_signed_in`…), or "" for an answer.
    pub fn code(&self) -> &str {
        self.body.get("code").and_then(Value::as_str).unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body.get("message").and_then(Value::as_str).unwrap_or("")
    }
}

impl TestServer {
    pub async fn demo() -> Self {
        Self::demo_with(Limits::default()).await
    }

    pub async fn demo_with(limits: Limits) -> Self {
        Self::start(demo_store().await, limits).await
    }

    /// A server without the background engine: tests see only what they do.
    pub async fn start(test_store: TestStore, limits: Limits) -> Self {
        Self::start_configured(test_store, limits, None, plumbline_server::now).await
    }

    pub async fn start_with_engine(test_store: TestStore, limits: Limits, every: Duration) -> Self {
        Self::start_configured(test_store, limits, Some(every), plumbline_server::now).await
    }

    /// A server whose clock stands still at [`seeded_at`].
    pub async fn start_at_seed_time(test_store: TestStore) -> Self {
        Self::start_configured(test_store, Limits::default(), None, seeded_at).await
    }

    async fn start_configured(test_store: TestStore, limits: Limits, engine: Option<Duration>, clock: Clock) -> Self {
        let state = tempfile::tempdir().expect("state dir");
        let config = Config {
            listen: "127.0.0.1:0".parse().expect("address"),
            tls: TlsSource::SelfSigned { state_dir: state.path().to_owned() },
            demo: true,
            limits,
            background_every: engine,
            clock,
        };
        let server = plumbline_server::start(test_store.store.clone(), config).await.expect("server starts");
        let client = client_trusting(&server);
        let base = format!("https://127.0.0.1:{}", server.local_addr().port());
        Self { server: Some(server), client, base, test_store, _state: state }
    }

    pub fn store(&self) -> &Store {
        &self.test_store.store
    }

    pub fn server(&self) -> &Server {
        self.server.as_ref().expect("the server is running")
    }

    /// Stops the server as SIGTERM would.
    pub async fn shutdown(&mut self) {
        self.server.take().expect("the server is running").shutdown().await.expect("shuts down cleanly");
    }

    /// `POST /api/v1/<name>` with `body` as it is (bytes, maybe not JSON).
    pub async fn post_raw(&self, name: &str, token: Option<&str>, body: impl Into<reqwest::Body>) -> Answer {
        let mut request = self
            .client
            .post(format!("{}/api/v1/{name}", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await.expect("the server answers")).await
    }

    /// Runs a command with JSON arguments, as the desktop's client would.
    pub async fn call(&self, name: &str, token: Option<&str>, args: Value) -> Answer {
        self.post_raw(name, token, args.to_string()).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        answer(self.client.get(format!("{}{path}", self.base)).send().await.expect("the server answers")).await
    }

    /// Signs in and returns the whole answer.
    pub async fn try_sign_in(&self, email: &str, password: &str) -> Answer {
        self.call("sign_in", None, json!({ "request": { "email": email, "password": password, "remember": false } }))
            .await
    }

    /// Signs in (the attempt must succeed) and returns the bearer token.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let answer = self.try_sign_in(email, password).await;
        assert_eq!(answer.status, 200, "signing in as {email}: {answer:?}");
        answer.body["token"].as_str().expect("a token").to_owned()
    }

    /// The demo agency's first account of `role`: its e-mail address.
    pub async fn demo_email(&self, role: Role) -> String {
        let accounts = demo_accounts(self.store()).await.expect("demo accounts");
        accounts.into_iter().find(|account| account.role == role).expect("a demo account of each role").email
    }

    /// Signs in as the demo agency's first account of `role`.
    pub async fn sign_in_as(&self, role: Role) -> String {
        let email = self.demo_email(role).await;
        self.sign_in(&email, DEMO_PASSWORD).await
    }

    /// How many rows `table` holds: what a refused request must leave as it was.
    pub async fn count(&self, table: &str) -> i64 {
        let (count,): (i64,) =
            Sql::new(format!("SELECT count(*) FROM {table}")).fetch_one(self.store()).await.expect("count");
        count
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("a JSON body") };
    Answer { status, body }
}

/// An HTTPS client that trusts the server's own certificate and nothing else.
pub fn client_trusting(server: &Server) -> reqwest::Client {
    let mut roots = RootCertStore::empty();
    roots.add(server.identity().certificate.clone()).expect("a certificate rustls reads");
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder().use_preconfigured_tls(config).tls_info(true).build().expect("client")
}
