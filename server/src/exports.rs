//! The exports as files (#21, the web portal's downloads): the four export commands,
//! posted like any other (`POST /api/v1/export_work_orders` and its JSON body, so a
//! browser's carries its page's token), answered with the file itself — its type, and
//! its name in `Content-Disposition` as the desktop's save dialog suggests it — rather
//! than JSON. The desktop saves the same files through its dialog (`LOCAL_ONLY`); both
//! gather them through `service::exports`, as the signed-in user sees the screens, with
//! the same refusals. A server has no zone its readers share, so times are written in
//! the agency's.

use crate::app::{App, arguments};
use crate::auth;
use crate::error::ApiError;
use crate::files::disposition;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use plumbline_domain::api::CurrentUser;
use plumbline_domain::{Actor, commands};
use plumbline_paper::OrderFile;
use plumbline_service::exports::{self, AsUser, Gathered, Reader};
use plumbline_service::reports::report_csv;
use plumbline_service::users;
use plumbline_service::work_orders::{MAX_PAGE_SIZE, export::rows_csv};

const PDF: &str = "application/pdf";
const CSV: &str = "text/csv; charset=utf-8";

/// `export_work_orders`: every order the list's filter matches, in its sort, read a
/// page (of at most `MAX_PAGE_SIZE`) at a time, as CSV.
pub async fn work_orders(app: &App, headers: &HeaderMap, body: &[u8]) -> Result<Response, ApiError> {
    let actor = auth::actor(app, headers).await?;
    let commands::ExportWorkOrders { filter, sort } = arguments(body)?;
    let reader = reader(app, actor);
    let rows = exports::every_row(&reader, filter, sort, MAX_PAGE_SIZE, &|| false, &|_| {}).await?;
    let rows = rows.ok_or_else(|| ApiError::internal("the list's export stopped though nobody could stop it"))?;
    let zone = exports::agency_zone(app.store()).await?;
    let csv = rows_csv(&rows, actor.role, |at| exports::csv_time(at, &zone))?;
    Ok(file(CSV, &exports::list_file_name(reader.now, &zone), csv))
}

/// `export_report`: the report's table as CSV.
pub async fn report(app: &App, headers: &HeaderMap, body: &[u8]) -> Result<Response, ApiError> {
    let actor = auth::actor(app, headers).await?;
    let commands::ExportReport { request } = arguments(body)?;
    let reader = reader(app, actor);
    let report = reader.run(commands::RunReport { request }).await?;
    let zone = exports::agency_zone(app.store()).await?;
    Ok(file(CSV, &exports::report_file_name(report.kind, reader.now, &zone), report_csv(&report)?))
}

/// `export_work_order_pdf`: the order's one-page summary.
pub async fn work_order_pdf(app: &App, headers: &HeaderMap, body: &[u8]) -> Result<Response, ApiError> {
    let actor = auth::actor(app, headers).await?;
    let commands::ExportWorkOrderPdf { id } = arguments(body)?;
    let user = paper_reader(app, actor).await?;
    let reader = reader(app, actor);
    let detail = reader.run(commands::GetWorkOrder { id }).await?;
    let name = exports::summary_file_name(&detail.row.reference);
    let gathered = exports::with_history(&reader, detail).await?;
    let pdf = make_pdf(app, gathered, user, plumbline_paper::summary).await?;
    Ok(file(PDF, &name, pdf))
}

/// `export_evidence_pack`: everything about the order, photos embedded; the agency's
/// internal notes only when asked for and the reader is the agency.
pub async fn evidence_pack(app: &App, headers: &HeaderMap, body: &[u8]) -> Result<Response, ApiError> {
    let actor = auth::actor(app, headers).await?;
    let commands::ExportEvidencePack { id, internal_notes } = arguments(body)?;
    let user = paper_reader(app, actor).await?;
    let reader = reader(app, actor);
    let detail = reader.run(commands::GetWorkOrder { id }).await?;
    let name = exports::evidence_pack_file_name(&detail.row.reference);
    let gathered = exports::with_history(&reader, detail).await?;
    let read = exports::with_messages_and_attachments(&reader, gathered, internal_notes, &|| false, &|_| {}).await?;
    let gathered = read.ok_or_else(|| ApiError::internal("the evidence pack stopped though nobody could stop it"))?;
    let pdf = make_pdf(app, gathered, user, plumbline_paper::evidence_pack).await?;
    Ok(file(PDF, &name, pdf))
}

fn reader(app: &App, actor: Actor) -> AsUser<'_> {
    AsUser { store: app.store(), actor, now: app.now() }
}

/// The signed-in user, if they may take an order's paper away (not a tenant).
async fn paper_reader(app: &App, actor: Actor) -> Result<CurrentUser, ApiError> {
    exports::may_take_paper(actor.role)?;
    Ok(users::current(app.store(), actor).await?)
}

/// Writes the PDF off the request's thread (an evidence pack embeds every photo), its
/// times in the agency's zone.
async fn make_pdf(
    app: &App,
    gathered: Gathered,
    user: CurrentUser,
    write: fn(&OrderFile<'_>) -> Vec<u8>,
) -> Result<Vec<u8>, ApiError> {
    let zone = exports::agency_zone(app.store()).await?;
    let printed_at = app.now();
    tokio::task::spawn_blocking(move || {
        let local = |at| exports::paper_time(at, &zone);
        write(&gathered.order_file(&user, printed_at, &local))
    })
    .await
    .map_err(|err| ApiError::internal(format!("writing a PDF: {err}")))
}

/// The file as the answer: its type, its suggested name, and kept by nobody on the way.
fn file(content_type: &'static str, name: &str, content: impl Into<axum::body::Body>) -> Response {
    let disposition =
        HeaderValue::from_str(&disposition(name)).unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (headers, content.into()).into_response()
}
