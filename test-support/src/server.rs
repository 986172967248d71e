//! A real agency server per test: started in-process on a free loopback port with a
//! freshly made self-signed certificate, on a [`TestStore`] of its own. The client speaks
//! HTTPS and trusts exactly that server's certificate.

use crate::{TestStore, demo_store, seeded_at};
use plumbline_domain::{Command, EachCommand, Role, commands, wire};
use plumbline_server::{Clock, Config, Limits, Server, TlsSource};
use plumbline_service::Store;
use plumbline_service::accounts::{DEMO_PASSWORD, demo_accounts};
use plumbline_service::db::Sql;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// A running server, and a client for it.
pub struct TestServer {
    server: Option<Server>,
    pub client: reqwest::Client,
    /// `https://127.0.0.1:<port>`.
    pub base: String,
    pub test_store: TestStore,
    /// Where the server keeps its self-signed certificate.
    _state: TempDir,
    /// The web portal's files it serves, if any (kept for a restart).
    web_root: Option<PathBuf>,
}

/// A browser's session: what the web portal's page holds (the cookie the browser keeps,
/// and the security token it sends with each POST).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// `plumbline_session=<secret>`, as a browser sends it back.
    pub cookie: String,
    /// `X-CSRF-Token`'s value.
    pub csrf: String,
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
    /// A server on the demo agency ([`demo_store`]).
    pub async fn demo() -> Self {
        Self::demo_with(Limits::default()).await
    }

    pub async fn demo_with(limits: Limits) -> Self {
        Self::start(demo_store().await, limits).await
    }

    /// A server without the background engine: tests see only what they do.
    pub async fn start(test_store: TestStore, limits: Limits) -> Self {
        Self::start_configured(test_store, limits, None, plumbline_server::now, None).await
    }

    pub async fn start_with_engine(test_store: TestStore, limits: Limits, every: Duration) -> Self {
        Self::start_configured(test_store, limits, Some(every), plumbline_server::now, None).await
    }

    /// A server whose clock stands still at [`seeded_at`].
    pub async fn start_at_seed_time(test_store: TestStore) -> Self {
        Self::start_configured(test_store, Limits::default(), None, seeded_at, None).await
    }

    /// A server on the demo agency that also serves the web portal from `web_root`.
    pub async fn demo_with_web(web_root: &Path) -> Self {
        Self::start_with_web(demo_store().await, web_root).await
    }

    /// A server that also serves the web portal from `web_root` (a folder with an
    /// index.html, like `src-ui/dist`).
    pub async fn start_with_web(test_store: TestStore, web_root: &Path) -> Self {
        Self::start_configured(test_store, Limits::default(), None, plumbline_server::now, Some(web_root.to_owned()))
            .await
    }

    async fn start_configured(
        test_store: TestStore,
        limits: Limits,
        engine: Option<Duration>,
        clock: Clock,
        web_root: Option<PathBuf>,
    ) -> Self {
        let state = tempfile::tempdir().expect("state dir");
        let config = Config {
            listen: "127.0.0.1:0".parse().expect("address"),
            tls: TlsSource::SelfSigned { state_dir: state.path().to_owned() },
            demo: true,
            limits,
            background_every: engine,
            clock,
            web_root: web_root.clone(),
        };
        let server = plumbline_server::start(test_store.store.clone(), config).await.expect("server starts");
        let client = client_trusting(&server);
        let base = format!("https://127.0.0.1:{}", server.local_addr().port());
        Self { server: Some(server), client, base, test_store, _state: state, web_root }
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

    /// Starts the server again after [`shutdown`](Self::shutdown), as an administrator
    /// restarting it would: the same address, certificate and store.
    pub async fn restart(&mut self) {
        assert!(self.server.is_none(), "shut the server down first");
        let listen = self.base.trim_start_matches("https://").parse().expect("the old address");
        let config = Config {
            listen,
            tls: TlsSource::SelfSigned { state_dir: self._state.path().to_owned() },
            demo: true,
            limits: Limits::default(),
            background_every: None,
            clock: plumbline_server::now,
            web_root: self.web_root.clone(),
        };
        let server = plumbline_server::start(self.test_store.store.clone(), config).await.expect("server restarts");
        self.server = Some(server);
    }

    /// `POST /api/v1/<name>` with `body` as it is (bytes, maybe not JSON).
    pub async fn post_raw(&self, name: &str, token: Option<&str>, body: impl Into<reqwest::Body>) -> Answer {
        answer(self.command_request(name, token).body(body).send().await.expect("the server answers")).await
    }

    /// `POST /api/v1/<name>` with a JSON body to come, as `token`'s holder if any.
    fn command_request(&self, name: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let request =
            self.client.post(format!("{}/api/v1/{name}", self.base)).header("content-type", "application/json");
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Runs a command with JSON arguments, as the desktop's client would.
    pub async fn call(&self, name: &str, token: Option<&str>, args: Value) -> Answer {
        self.post_raw(name, token, args.to_string()).await
    }

    /// Runs a command with JSON arguments as a page does, asking for the answer as bytes
    /// (`plumbline_domain::wire`); the answer is read as its declared type and shown as
    /// JSON. A refusal comes as JSON, as to anyone.
    pub async fn call_for_page(&self, name: &str, token: Option<&str>, args: Value) -> Answer {
        let request = self.command_request(name, token).header("accept", wire::MEDIA_TYPE).body(args.to_string());
        let response = request.send().await.expect("the server answers");
        if !response.status().is_success() {
            return answer(response).await;
        }
        let status = response.status().as_u16();
        let media_type = response.headers().get("content-type").and_then(|value| value.to_str().ok());
        assert_eq!(media_type, Some(wire::MEDIA_TYPE), "{name}: answered as asked");
        let bytes = response.bytes().await.expect("a body");
        Answer { status, body: page_answer_as_json(name, &bytes) }
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

    /// A command as the web portal's page sends it: `X-Plumbline-Client: web`, and with
    /// `session` its cookie and (unless `csrf` is false) its security token. The whole
    /// response, for its headers.
    pub async fn web_post(
        &self,
        name: &str,
        session: Option<&WebSession>,
        csrf: bool,
        args: Value,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/v1/{name}", self.base))
            .header("content-type", "application/json")
            .header("x-plumbline-client", "web")
            .body(args.to_string());
        if let Some(session) = session {
            request = request.header("cookie", &session.cookie);
            if csrf {
                request = request.header(plumbline_server::CSRF_HEADER, &session.csrf);
            }
        }
        request.send().await.expect("the server answers")
    }

    /// Runs a command as a signed-in web page does (cookie and token).
    pub async fn web_call(&self, name: &str, session: &WebSession, args: Value) -> Answer {
        answer(self.web_post(name, Some(session), true, args).await).await
    }

    /// Signs in from a browser: the whole response (its cookie and token headers).
    pub async fn web_sign_in_response(&self, email: &str, password: &str, remember: bool) -> reqwest::Response {
        let args = json!({ "request": { "email": email, "password": password, "remember": remember } });
        self.web_post("sign_in", None, false, args).await
    }

    /// Signs in from a browser as the demo agency's first account of `role` (the attempt
    /// must succeed).
    pub async fn web_sign_in_as(&self, role: Role) -> WebSession {
        let email = self.demo_email(role).await;
        let response = self.web_sign_in_response(&email, DEMO_PASSWORD, false).await;
        assert_eq!(response.status().as_u16(), 200, "signing in from a browser as {email}");
        web_session_of(&response)
    }

    /// How many rows `table` holds: what a refused request must leave as it was.
    pub async fn count(&self, table: &str) -> i64 {
        let (count,): (i64,) =
            Sql::new(format!("SELECT count(*) FROM {table}")).fetch_one(self.store()).await.expect("count");
        count
    }
}

/// The session a web sign-in's answer hands over: its cookie and its token.
pub fn web_session_of(response: &reqwest::Response) -> WebSession {
    let set_cookie = response.headers().get("set-cookie").expect("a cookie").to_str().expect("text");
    let cookie = set_cookie.split(';').next().expect("name=value").to_owned();
    let csrf = response.headers().get(plumbline_server::CSRF_HEADER).expect("a token").to_str().expect("text");
    WebSession { cookie, csrf: csrf.to_owned() }
}

/// The bytes a page reads as the answer to the command called `name`, read as that
/// command's declared answer and written as JSON, to compare with a JSON answer.
pub fn page_answer_as_json(name: &str, bytes: &[u8]) -> Value {
    struct Reader<'a> {
        name: &'a str,
        bytes: &'a [u8],
        read: Option<Value>,
    }
    impl EachCommand for Reader<'_> {
        fn command<C: Command>(&mut self) {
            if C::NAME == self.name {
                let answer: C::Answer =
                    wire::decode(self.bytes).unwrap_or_else(|err| panic!("{}'s answer as bytes: {err}", C::NAME));
                self.read = Some(serde_json::to_value(answer).expect("JSON"));
            }
        }
    }
    let mut reader = Reader { name, bytes, read: None };
    commands::for_each(&mut reader);
    reader.read.unwrap_or_else(|| panic!("no command is called {name}"))
}

/// A command's answer: its status and JSON body.
pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("a JSON body") };
    Answer { status, body }
}

/// An HTTPS client that trusts the server's own certificate and nothing else.
fn client_trusting(server: &Server) -> reqwest::Client {
    let mut roots = RootCertStore::empty();
    roots.add(server.identity().certificate.clone()).expect("a certificate rustls reads");
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder().use_preconfigured_tls(config).tls_info(true).build().expect("client")
}
