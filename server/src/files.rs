//! Attachments over the network, the two routes that are not JSON commands:
//!
//! - `POST /api/v1/work_orders/{order}/attachments?kind=before`: the files as
//!   `multipart/form-data`, each part under the name it was chosen with. Each part is
//!   streamed to a staging directory beside the stored files while the agency's limits
//!   are counted, so an oversized upload is refused as soon as it crosses one; then the
//!   very use case the desktop runs in process attaches them (type from content, both
//!   limits, all or none). The staging directory goes whatever the outcome.
//! - `GET /api/v1/attachments/{id}/content`: the stored file, to the order's parties
//!   only (anyone else gets "not found"), named in `Content-Disposition`.
//! - `POST` and `GET /api/v1/certificates/{id}/file`: a compliance certificate's one
//!   file, sent by staff as above (within the agency's limit per file) and read by
//!   whoever may see the certificate.

use crate::answer::{self, Answer};
use crate::app::App;
use crate::auth;
use crate::error::ApiError;
use axum::body::Body;
use axum::extract::multipart::{Field as Part, MultipartRejection};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use plumbline_domain::api::Field;
use plumbline_domain::attachment::{display_name, size_label};
use plumbline_domain::ids::CertificateId;
use plumbline_domain::{AttachmentId, AttachmentKind, WorkOrderId};
use plumbline_service::agency::AttachmentLimits;
use plumbline_service::attachments::{self, ChosenFile, Content};
use plumbline_service::{ServiceError, compliance};
use serde::Deserialize;
use std::path::Path as FsPath;
use tokio::io::AsyncWriteExt;
use tokio_util::io::ReaderStream;

/// How long an upload may send nothing before it is refused: a desktop sending a file
/// sends continuously, and one that went away (or a client that sends a byte a minute)
/// must not hold a connection and a staged file for ever.
pub const UPLOAD_STALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Files one upload may carry; the dialog's choice is rarely more than a handful.
pub const MAX_FILES_PER_UPLOAD: usize = 50;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    kind: String,
}

pub async fn upload(
    State(app): State<App>,
    order: Result<Path<i64>, PathRejection>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let actor = auth::actor(&app, &headers).await?;
    let order = WorkOrderId(order.map_err(|_| ApiError::not_found("There is no such work order"))?.0);
    let kind = kind_of(query)?;
    // Before a byte of the body is read: only the order's parties may upload to it.
    let limits = attachments::upload_limits(app.store(), actor, order).await?;
    let mut multipart = multipart
        .map_err(|rejection| ApiError::bad_request(format!("An upload is sent as multipart/form-data: {rejection}")))?;
    let files_dir = app.store().files_dir();
    let staging = staging_dir(&files_dir).await?;
    let received = receive(&mut multipart, staging.path(), limits, MAX_FILES_PER_UPLOAD).await?;
    let added = attachments::attach_files(app.store(), actor, app.now(), &files_dir, order, kind, &received).await?;
    Ok(Answer(answer::asked(&headers), added).into_response())
}

pub async fn upload_certificate_file(
    State(app): State<App>,
    id: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let actor = auth::actor(&app, &headers).await?;
    let id = CertificateId(id.map_err(|_| ApiError::not_found("There is no such certificate"))?.0);
    // Before a byte of the body is read: only staff may, and only to a certificate there is.
    let per_file = compliance::file_limit(app.store(), actor, id).await?;
    let mut multipart = multipart
        .map_err(|rejection| ApiError::bad_request(format!("A file is sent as multipart/form-data: {rejection}")))?;
    let files_dir = app.store().files_dir();
    let staging = staging_dir(&files_dir).await?;
    let limits = AttachmentLimits { per_file, per_order: per_file };
    let received = receive(&mut multipart, staging.path(), limits, 1).await?;
    let [file] = received.as_slice() else {
        return Err(refused("Send the certificate's file: there was none in the upload".into()));
    };
    let certificate = compliance::attach_file(app.store(), actor, app.now(), &files_dir, id, file).await?;
    Ok(Answer(answer::asked(&headers), certificate).into_response())
}

fn kind_of(query: Result<Query<UploadQuery>, QueryRejection>) -> Result<AttachmentKind, ApiError> {
    let asked = query.map(|Query(query)| query.kind).unwrap_or_default();
    AttachmentKind::parse(&asked).ok_or_else(|| {
        let kinds: Vec<&str> = AttachmentKind::ALL.iter().map(|kind| kind.as_str()).collect();
        ApiError::bad_request(format!("Say what the files are: ?kind= one of {}", kinds.join(", ")))
    })
}

/// A directory of its own for one upload, beside the stored files (so the use case's
/// rename into place stays on one file system), removed when dropped.
async fn staging_dir(files_dir: &FsPath) -> Result<tempfile::TempDir, ApiError> {
    let dir = files_dir.to_owned();
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        tempfile::Builder::new().prefix(".upload-").tempdir_in(&dir)
    })
    .await
    .map_err(|err| ApiError::internal(format!("staging an upload: {err}")))?
    .map_err(|err| ApiError::internal(format!("staging an upload: {err}")))
}

/// Saves each part as `dir/<n>`, refusing the upload once a file or the whole passes
/// the agency's limits, or it holds more than `max_files`; what the use case then checks
/// again, with what the order holds.
async fn receive(
    multipart: &mut Multipart,
    dir: &FsPath,
    limits: AttachmentLimits,
    max_files: usize,
) -> Result<Vec<ChosenFile>, ApiError> {
    let mut files = Vec::new();
    let mut total = 0;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if files.len() == max_files {
            let most = if max_files == 1 { "One file".to_owned() } else { format!("At most {max_files} files") };
            return Err(refused(format!("{most} may be attached at once")));
        }
        let name = display_name(field.file_name().unwrap_or_default());
        let path = dir.join(files.len().to_string());
        total += save(field, &path, &name, limits, total).await?;
        files.push(ChosenFile { path, name });
    }
    Ok(files)
}

async fn save(
    mut field: Part<'_>,
    path: &FsPath,
    name: &str,
    limits: AttachmentLimits,
    before: u64,
) -> Result<u64, ApiError> {
    let mut file =
        tokio::fs::File::create(path).await.map_err(|err| ApiError::internal(format!("staging {name}: {err}")))?;
    let mut size = 0;
    loop {
        let next = tokio::time::timeout(UPLOAD_STALL_TIMEOUT, field.chunk()).await.map_err(|_| stalled(name))?;
        let Some(chunk) = next.map_err(unreadable)? else { break };
        size += chunk.len() as u64;
        if size > limits.per_file {
            let most = size_label(limits.per_file);
            return Err(refused(format!("{name} is larger than {most}; a file may be at most {most}")));
        }
        if before + size > limits.per_order {
            let most = size_label(limits.per_order);
            return Err(refused(format!("These files are larger than {most}; an order may hold at most {most}")));
        }
        file.write_all(&chunk).await.map_err(|err| ApiError::internal(format!("staging {name}: {err}")))?;
    }
    file.flush().await.map_err(|err| ApiError::internal(format!("staging {name}: {err}")))?;
    Ok(size)
}

fn unreadable(err: axum::extract::multipart::MultipartError) -> ApiError {
    ApiError::bad_request(format!("The upload could not be read; nothing was attached: {}", err.body_text()))
}

fn stalled(name: &str) -> ApiError {
    let seconds = UPLOAD_STALL_TIMEOUT.as_secs();
    ApiError::bad_request(format!("The upload of {name} stopped for {seconds} seconds; nothing was attached"))
}

fn refused(message: String) -> ApiError {
    ServiceError::validation(Field::Files, message).into()
}

pub async fn download(
    State(app): State<App>,
    id: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = auth::actor(&app, &headers).await?;
    let id = AttachmentId(id.map_err(|_| ApiError::not_found("There is no such attachment"))?.0);
    let content = attachments::content(app.store(), actor, &app.store().files_dir(), id).await?;
    send(content, &format!("attachment {}", id.0)).await
}

pub async fn download_certificate_file(
    State(app): State<App>,
    id: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = auth::actor(&app, &headers).await?;
    let id = CertificateId(id.map_err(|_| ApiError::not_found("There is no such certificate"))?.0);
    let content = compliance::file_content(app.store(), actor, &app.store().files_dir(), id).await?;
    send(content, &format!("certificate {}", id.0)).await
}

/// The stored file as the answer's body, streamed, named in `Content-Disposition`.
async fn send(content: Content, whose: &str) -> Result<Response, ApiError> {
    let file = tokio::fs::File::open(&content.path)
        .await
        .map_err(|err| ApiError::internal(format!("The file of {whose} is missing on the server: {err}")))?;
    let headers = [
        (header::CONTENT_TYPE, header_value(content.media_type.mime())),
        (header::CONTENT_LENGTH, HeaderValue::from(content.size_bytes)),
        (header::CONTENT_DISPOSITION, header_value(&disposition(&content.file_name))),
    ];
    Ok((headers, Body::from_stream(ReaderStream::new(file))).into_response())
}

/// `attachment; filename*=UTF-8''<name>`: any name, accents and all, as ASCII (RFC 6266).
pub fn disposition(file_name: &str) -> String {
    format!("attachment; filename*=UTF-8''{}", utf8_percent_encode(file_name, NON_ALPHANUMERIC))
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}
