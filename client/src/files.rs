//! Files to and from the agency server (an order's attachments, a certificate's file):
//! the chosen files streamed up as `multipart/form-data` (the server checks them as the
//! desktop's own store would), and a stored file streamed down into a folder the caller
//! names.

use crate::{Client, internal, read_answer, read_refusal};
use percent_encoding::percent_decode_str;
use plumbline_domain::api::{Attachment, Certificate, CommandError, ErrorCode, Field};
use plumbline_domain::attachment::{display_name, name_to_open};
use plumbline_domain::ids::CertificateId;
use plumbline_domain::{AttachmentId, AttachmentKind, MediaType, WorkOrderId};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderMap};
use reqwest::multipart::{Form, Part};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A file of the agency's largest size over a slow office line.
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(10 * 60);

impl Client {
    /// Attaches the files at `paths` to `order` as `kind`, each under its own name: all
    /// or none, as the server's answer says.
    pub async fn upload(
        &self,
        order: WorkOrderId,
        kind: AttachmentKind,
        paths: &[PathBuf],
    ) -> Result<Vec<Attachment>, CommandError> {
        let mut form = Form::new();
        for path in paths {
            form = form.part("file", part(path).await?);
        }
        self.send_form(&format!("work_orders/{}/attachments?kind={}", order.0, kind.as_str()), form).await
    }

    /// Keeps the file at `path` as certificate `id`'s file (staff), replacing any before.
    pub async fn upload_certificate_file(&self, id: CertificateId, path: &Path) -> Result<Certificate, CommandError> {
        let form = Form::new().part("file", part(path).await?);
        self.send_form(&format!("certificates/{}/file", id.0), form).await
    }

    async fn send_form<A: serde::de::DeserializeOwned>(&self, route: &str, form: Form) -> Result<A, CommandError> {
        let url = format!("{}/api/v1/{route}", self.base);
        let response = self.send(self.http.post(url).multipart(form).timeout(TRANSFER_TIMEOUT)).await?;
        let status = response.status();
        let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
        match status.is_success() {
            true => read_answer(&body),
            false => Err(read_refusal(status, &body)),
        }
    }

    /// Saves attachment `id`'s content as `into/<id>/<its name, with its type's
    /// extension>` and answers that path.
    pub async fn download(&self, id: AttachmentId, into: &Path) -> Result<PathBuf, CommandError> {
        self.save_file(&format!("attachments/{}/content", id.0), &into.join(id.0.to_string())).await
    }

    /// Saves certificate `id`'s file as `into/certificate-<id>/<its name, with its
    /// type's extension>` and answers that path.
    pub async fn download_certificate_file(&self, id: CertificateId, into: &Path) -> Result<PathBuf, CommandError> {
        self.save_file(&format!("certificates/{}/file", id.0), &into.join(format!("certificate-{}", id.0))).await
    }

    /// Streams the file at `route` into `dir`, named for what its content is.
    async fn save_file(&self, route: &str, dir: &Path) -> Result<PathBuf, CommandError> {
        let url = format!("{}/api/v1/{route}", self.base);
        let mut response = self.send(self.http.get(url).timeout(TRANSFER_TIMEOUT)).await?;
        let status = response.status();
        if !status.is_success() {
            let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
            return Err(read_refusal(status, &body));
        }
        let path = dir.join(name_to_open_from(response.headers())?);
        let partial = dir.join(".download.partial");
        let saving = |err: std::io::Error| internal(format!("Could not save the file in {}: {err}", dir.display()));
        tokio::fs::create_dir_all(&dir).await.map_err(saving)?;
        let mut file = tokio::fs::File::create(&partial).await.map_err(saving)?;
        while let Some(chunk) = response.chunk().await.map_err(|err| self.transport_error(&err))? {
            file.write_all(&chunk).await.map_err(saving)?;
        }
        file.flush().await.map_err(saving)?;
        tokio::fs::rename(&partial, &path).await.map_err(saving)?;
        Ok(path)
    }
}

/// One chosen file, streamed from disk as it is sent.
async fn part(path: &Path) -> Result<Part, CommandError> {
    let name = display_name(&path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default());
    let unreadable = || CommandError {
        code: ErrorCode::Validation,
        message: format!("{name} could not be read: it was moved or is not readable"),
        field: Some(Field::Files),
    };
    let refused = |why: &str| CommandError {
        code: ErrorCode::Validation,
        message: format!("{name} {why}"),
        field: Some(Field::Files),
    };
    // Measured before it is opened: opening a pipe waits for a writer for ever.
    let metadata = tokio::fs::metadata(path).await.map_err(|_| unreadable())?;
    if metadata.is_dir() {
        return Err(refused("is a folder, not a file"));
    }
    if !metadata.is_file() {
        return Err(refused(
            "is not a file saved on disk (it is a pipe, socket or device); choose a photo, video or PDF",
        ));
    }
    let file = tokio::fs::File::open(path).await.map_err(|_| unreadable())?;
    let size = file.metadata().await.map_err(|_| unreadable())?.len();
    Ok(Part::stream_with_length(file, size).file_name(name))
}

/// The name a downloaded attachment is saved under to be opened: its own name, ending in
/// the extension of the type the server sniffed when it was attached (`Content-Type`),
/// so the OS picks its app by the content, never by the name it came with.
fn name_to_open_from(headers: &HeaderMap) -> Result<String, CommandError> {
    let mime = headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let media = MediaType::parse(mime)
        .ok_or_else(|| internal(format!("The server sent an attachment of an unknown type ('{mime}')")))?;
    Ok(name_to_open(&file_name(headers).unwrap_or_default(), media))
}

/// The name in `Content-Disposition: attachment; filename*=UTF-8''<percent-encoded>`.
fn file_name(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_DISPOSITION)?.to_str().ok()?;
    let encoded = value.split(';').map(str::trim).find_map(|part| part.strip_prefix("filename*=UTF-8''"))?;
    percent_decode_str(encoded).decode_utf8().ok().map(|name| name.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_name_comes_back_as_the_server_encoded_it() {
        let mut headers = HeaderMap::new();
        let value = "attachment; filename*=UTF-8''Fa%C3%A7ade%20crack%20%281%29.jpg";
        headers.insert(CONTENT_DISPOSITION, HeaderValue::from_static(value));
        assert_eq!(file_name(&headers).as_deref(), Some("Façade crack (1).jpg"));
        assert_eq!(file_name(&HeaderMap::new()), None);
    }

    #[tokio::test]
    async fn a_pipe_is_refused_before_it_is_opened() {
        let dir = tempfile::tempdir().expect("a folder");
        let pipe = dir.path().join("photo.jpg");
        assert!(std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs").success());

        // Opening a pipe with no writer waits for one for ever.
        let refused = tokio::time::timeout(Duration::from_secs(10), part(&pipe)).await.expect("refused at once");

        let Err(err) = refused else { panic!("a pipe was accepted") };
        assert_eq!((err.code, err.field), (ErrorCode::Validation, Some(Field::Files)));
        assert!(err.message.starts_with("photo.jpg is not a file saved on disk"), "{}", err.message);
    }

    #[test]
    fn a_download_is_saved_under_the_extension_of_its_type_not_of_its_name() {
        let headers = |name: &'static str, mime: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_DISPOSITION, HeaderValue::from_static(name));
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(mime));
            headers
        };
        let saved = |name, mime| name_to_open_from(&headers(name, mime)).map_err(|err| err.message);
        assert_eq!(
            saved("attachment; filename*=UTF-8''report%2Ehtml", "application/pdf"),
            Ok("report.html.pdf".into())
        );
        assert_eq!(saved("attachment; filename*=UTF-8''clip", "video/quicktime"), Ok("clip.mov".into()));
        assert_eq!(saved("attachment; filename*=UTF-8''leak%2Ejpg", "image/jpeg"), Ok("leak.jpg".into()));
        assert_eq!(saved("attachment", "image/png"), Ok("file.png".into()));
        assert!(saved("attachment; filename*=UTF-8''page%2Ehtml", "text/html").is_err(), "never saved as it came");
    }
}
