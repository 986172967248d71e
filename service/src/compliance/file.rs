//! A certificate's file: the PDF (or a photo) of the certificate itself. Staff attach it,
//! replacing any before it; whoever may see the certificate may open it. It is kept with
//! the attachments' files under its content's hash (`attachments::keep_one`), so backups
//! carry it and the same PDF kept twice is one file.

use super::{CertificateRecord, certificate_query, push_visible_to};
use crate::agency;
use crate::attachments::{self, ChosenFile, Content, KeptFile};
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::properties::require_agency;
use crate::store::Store;
use crate::time::to_secs;
use anyhow::Context;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{Certificate, Field};
use plumbline_domain::ids::CertificateId;
use plumbline_domain::{Actor, MediaType};
use std::path::{Path, PathBuf};

/// The largest file staff may attach to the certificate (the agency's limit per file).
/// Anyone else is refused, before an upload's body is read.
pub async fn file_limit(store: &Store, actor: Actor, id: CertificateId) -> Result<u64> {
    require_agency(actor)?;
    let mut db = store.read().await?;
    visible(&mut db, actor, id).await?;
    Ok(agency::settings_in(&mut db).await?.attachment_limits.per_file)
}

/// Keeps `file` as the certificate's file (staff): a PDF or a photo of it, within the
/// agency's limit per file. A file it replaces is removed unless something else names
/// its content. A refusal changes nothing.
pub async fn attach_file(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    files_dir: &Path,
    id: CertificateId,
    file: &ChosenFile,
) -> Result<Certificate> {
    let per_file = file_limit(store, actor, id).await?;
    let (certificate, replaced) =
        attachments::keep_one(store, files_dir, file, per_file, async |tx, kept| keep(tx, actor, now, id, kept).await)
            .await?;
    if let Some(replaced) = replaced {
        attachments::forget_if_unnamed(store, files_dir, &replaced).await;
    }
    Ok(certificate)
}

/// Names the kept file on the certificate: the certificate as it now is, and the content
/// it named before, if other.
async fn keep(
    tx: &mut Db,
    actor: Actor,
    now: DateTime<Utc>,
    id: CertificateId,
    kept: &KeptFile,
) -> Result<(Certificate, Option<String>)> {
    if !(kept.media_type == MediaType::Pdf || kept.media_type.is_photo()) {
        let why = format!(
            "{} is {}; a certificate's file is a PDF or a photo of it",
            kept.file_name,
            kept.media_type.label()
        );
        return Err(ServiceError::validation(Field::Files, why));
    }
    // Read again inside the transaction: the file it names now is the one replaced.
    let before = visible(tx, actor, id).await?;
    Sql::new(
        "UPDATE certificates SET file_sha256 = ?, file_name = ?, file_media_type = ?, file_size_bytes = ?,
                file_added_by = ?, file_added_at = ?
         WHERE id = ?",
    )
    .bind(&kept.hash)
    .bind(&kept.file_name)
    .bind(kept.media_type.mime())
    .bind(i64::try_from(kept.size).context("a file's size")?)
    .bind(actor.user_id.0)
    .bind(to_secs(now))
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    let today = agency::settings_in(tx).await?.calendar.local_date(now);
    let certificate = visible(tx, actor, id).await?.into_certificate(today)?;
    let replaced = before.file_sha256.filter(|hash| *hash != kept.hash);
    Ok((certificate, replaced))
}

/// The certificate's stored file and what to call it, for a viewer who may see the
/// certificate: what the agency server sends a desktop to open.
pub async fn file_content(store: &Store, actor: Actor, files_dir: &Path, id: CertificateId) -> Result<Content> {
    let record = visible(&mut store.read().await?, actor, id).await?;
    let (Some(hash), Some(file)) = (&record.file_sha256, record.file()?) else {
        return Err(ServiceError::not_found(format!("The file of the {} certificate", record.kind)));
    };
    Ok(Content {
        path: attachments::stored_path(files_dir, hash)?,
        file_name: file.name,
        media_type: file.media_type,
        size_bytes: u64::try_from(file.size_bytes).context("a file's size")?,
    })
}

/// A copy of the certificate's file, named for what its content is, to open in the OS's
/// own app: in `open_dir/certificate-<id>/`, apart from the attachments' copies.
pub async fn open_file_path(
    store: &Store,
    actor: Actor,
    files_dir: &Path,
    open_dir: &Path,
    id: CertificateId,
) -> Result<PathBuf> {
    let content = file_content(store, actor, files_dir, id).await?;
    let folder = format!("certificate-{}", id.0);
    attachments::copy_to_open(&content.path, open_dir, folder, &content.file_name, content.media_type).await
}

/// The certificate if `actor` may see it; "not found" otherwise, as for one that is not.
async fn visible(db: &mut Db, actor: Actor, id: CertificateId) -> Result<CertificateRecord> {
    let mut sql = certificate_query();
    sql.push(" WHERE c.id = ").push_bind(id.0);
    push_visible_to(&mut sql, actor)?;
    let record: Option<CertificateRecord> = sql.fetch_optional(db).await?;
    record.ok_or_else(|| ServiceError::not_found("The certificate"))
}
