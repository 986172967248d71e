//! The routes: `POST /api/v1/{command}` with the command's arguments as the JSON body
//! (what the desktop's webview sends to Tauri), answered with the command's JSON answer
//! or `{code, message, field}` — but the four exports (`export_work_orders`,
//! `export_report`, `export_work_order_pdf`, `export_evidence_pack`), answered with the
//! file itself for the web portal to download (`exports`); the attachments' and
//! certificates' files (`files`); `GET /api/v1/changes`, the change feed as server-sent
//! events; `GET /healthz`; and any other GET, the web portal's page and files (`web`).
//! Every answer carries the security headers; a browser's POST, its page's token.

use crate::answer;
use crate::auth;
use crate::changes;
use crate::error::ApiError;
use crate::exports;
use crate::files;
use crate::listener::ClientAddr;
use crate::mail;
use crate::rate_limit::{Limiter, wait_text};
use crate::session;
use crate::web::{self, WebRoot};
use crate::web_session;
use crate::{Clock, Limits};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use plumbline_domain::api::ServerHealth;
use plumbline_domain::{Command, commands};
use plumbline_service::Store;
use plumbline_service::api::{self, DispatchError};
use serde::de::DeserializeOwned;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::watch;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// What every route shares.
#[derive(Clone)]
pub struct App(Arc<Shared>);

struct Shared {
    store: Store,
    clock: Clock,
    /// Becomes true when the server is told to stop: open change streams end then.
    stopped: watch::Receiver<bool>,
    demo: bool,
    limits: Limits,
    per_client: Limiter<IpAddr>,
    per_address: Limiter<String>,
    /// The web portal's page and files, when this server offers them.
    web: Option<Arc<WebRoot>>,
}

impl App {
    pub fn new(
        store: Store,
        clock: Clock,
        demo: bool,
        limits: Limits,
        stopped: watch::Receiver<bool>,
        web: Option<WebRoot>,
    ) -> Self {
        Self(Arc::new(Shared {
            store,
            clock,
            stopped,
            demo,
            web: web.map(Arc::new),
            per_client: Limiter::new(limits.sign_ins_per_client),
            per_address: Limiter::new(limits.sign_ins_per_address),
            limits,
        }))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The instant a request is handled at: what every use case is given.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0.clock)()
    }

    /// Changes to true when the server begins shutting down.
    pub fn stopped(&self) -> watch::Receiver<bool> {
        self.0.stopped.clone()
    }

    pub fn demo(&self) -> bool {
        self.0.demo
    }

    pub fn limits(&self) -> &Limits {
        &self.0.limits
    }

    pub fn web(&self) -> Option<Arc<WebRoot>> {
        self.0.web.clone()
    }

    /// Counts a sign-in (or set-up) attempt from `client`, and at `email` if given;
    /// refused with 429 once either is over its limit.
    pub fn limit_sign_in(&self, client: ClientAddr, email: Option<&str>) -> Result<(), ApiError> {
        let now = Instant::now();
        self.0.per_client.hit(client.0.ip(), now).map_err(|wait| {
            tracing::warn!(client = %client.0.ip(), "sign-in attempts over the per-client limit");
            ApiError::rate_limited(
                format!("Too many sign-in attempts from this computer: try again in {}", wait_text(wait)),
                wait,
            )
        })?;
        if let Some(email) = email {
            self.0.per_address.hit(email.trim().to_lowercase(), now).map_err(|wait| {
                tracing::warn!("sign-in attempts over the per-address limit");
                ApiError::rate_limited(
                    format!("Too many sign-in attempts at this address: try again in {}", wait_text(wait)),
                    wait,
                )
            })?;
        }
        Ok(())
    }
}

pub fn router(app: App) -> Router {
    let body_limit = app.limits().body_bytes;
    let web = app.web();
    let router = Router::new()
        .route("/healthz", get(health))
        .route("/api/v1/{command}", post(command))
        // The change feed, as server-sent events (a stream that stays open).
        .route("/api/v1/changes", get(changes::stream))
        // Uploads are bounded by the agency's attachment limits as they stream, not by
        // the limit on a command's JSON.
        .route("/api/v1/work_orders/{order}/attachments", post(files::upload).layer(DefaultBodyLimit::disable()))
        .route("/api/v1/attachments/{id}/content", get(files::download))
        .route(
            "/api/v1/certificates/{id}/file",
            post(files::upload_certificate_file)
                .layer(DefaultBodyLimit::disable())
                .get(files::download_certificate_file),
        )
        // An agency's book arrives as one CSV file inside the command's JSON.
        .route(&import_path::<commands::PreviewImport>(), import_route::<commands::PreviewImport>())
        .route(&import_path::<commands::RunImport>(), import_route::<commands::RunImport>())
        .fallback(|State(app): State<App>, request| web::fallback(app.web(), request))
        .with_state(app)
        .layer(DefaultBodyLimit::max(body_limit))
        // Before any route: a browser's POST without its page's token runs nothing.
        .layer(middleware::from_fn(web_session::require_csrf_token));
    web::with_security_headers(router, web)
        // Outermost first: the id is set, then the span (which shows it) opens, and the
        // id goes back to the client in the answer's `x-request-id`.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The most an import command's JSON may be: the largest file the importer reads, as
/// base64 (4 bytes for every 3), and room for the rest.
const IMPORT_BODY_BYTES: usize = plumbline_service::import::MAX_FILE_BYTES / 3 * 4 + (64 << 10);

fn import_path<C: Command>() -> String {
    format!("/api/v1/{}", C::NAME)
}

/// An import command: the ordinary command path, with room for the file.
fn import_route<C: Command>() -> axum::routing::MethodRouter<App> {
    let handler = |State(app): State<App>, ConnectInfo(client): ConnectInfo<ClientAddr>, headers: HeaderMap, body| {
        command(State(app), Path(C::NAME.to_owned()), ConnectInfo(client), headers, body)
    };
    post(handler).layer(DefaultBodyLimit::max(IMPORT_BODY_BYTES))
}

/// One span per request: its id, method and path (a command's name, never a query),
/// and who asked once the token is checked. Never a header or a body: those carry
/// tokens, passwords and access codes.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let id = request.headers().get("x-request-id").and_then(|id| id.to_str().ok()).unwrap_or("-");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = request.uri().path(),
        user = tracing::field::Empty,
        role = tracing::field::Empty,
    )
}

/// 200 while the database answers, with the server's version and its store's schema (the
/// desktops' About box shows both); 503 when it does not.
async fn health(State(app): State<App>) -> Response {
    match app.store().applied_schema_version().await {
        Ok(schema_version) => {
            let health = ServerHealth {
                status: "ok".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
                schema_version: Some(schema_version),
            };
            (StatusCode::OK, Json(health)).into_response()
        }
        Err(err) => {
            tracing::warn!("health check: the database does not answer: {err}");
            let health = ServerHealth { status: "unavailable".into(), version: None, schema_version: None };
            (StatusCode::SERVICE_UNAVAILABLE, Json(health)).into_response()
        }
    }
}

async fn command(
    State(app): State<App>,
    Path(name): Path<String>,
    ConnectInfo(client): ConnectInfo<ClientAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(app.limits().body_bytes),
        _ => ApiError::bad_request(format!("The request's body could not be read: {rejection}")),
    })?;
    match name.as_str() {
        commands::Session::NAME => session::status(&app, &headers).await,
        commands::SignIn::NAME => session::sign_in(&app, client, &headers, arguments(&body)?).await,
        commands::SignOut::NAME => {
            arguments::<commands::SignOut>(&body)?;
            session::sign_out(&app, &headers).await
        }
        commands::ChangePassword::NAME => session::change_password(&app, &headers, arguments(&body)?).await,
        commands::SetUpAgency::NAME => {
            web_session::refuse_set_up(&headers)?;
            session::set_up_agency(&app, client, arguments(&body)?).await
        }
        commands::SetSmtpPassword::NAME => mail::set_password(&app, &headers, arguments(&body)?).await,
        commands::SendTestEmail::NAME => {
            arguments::<commands::SendTestEmail>(&body)?;
            mail::send_test(&app, &headers).await
        }
        // The desktop saves these through its dialog; here the answer is the file itself.
        commands::ExportWorkOrders::NAME => exports::work_orders(&app, &headers, &body).await,
        commands::ExportReport::NAME => exports::report(&app, &headers, &body).await,
        commands::ExportWorkOrderPdf::NAME => exports::work_order_pdf(&app, &headers, &body).await,
        commands::ExportEvidencePack::NAME => exports::evidence_pack(&app, &headers, &body).await,
        name if api::LOCAL_ONLY.contains(&name) => {
            Err(ApiError::not_found(format!("{name} runs on the desktop itself, not on the agency server")))
        }
        name => run(&app, &headers, name, &body).await,
    }
}

/// Any other command: as the signed-in user, through the service's one dispatch table.
async fn run(app: &App, headers: &HeaderMap, name: &str, body: &[u8]) -> Result<Response, ApiError> {
    let actor = auth::actor(app, headers).await?;
    let args: serde_json::Value = arguments(body)?;
    let format = answer::asked(headers);
    let answer = api::dispatch_as(format, app.store(), actor, app.now(), name, args).await?;
    Ok(answer::written_as(format, answer))
}

/// The body as a command's arguments; an empty body is `{}` (a command without any).
pub(crate) fn arguments<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"{}".as_slice() } else { body };
    serde_json::from_slice(body).map_err(|err| DispatchError::BadArguments(err.to_string()).into())
}
