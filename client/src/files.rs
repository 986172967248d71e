//! Attachments to and from the agency server: the chosen files streamed up as
//! `multipart/form-data` (the server checks them as the desktop's own store would), and
//! an attachment's content streamed down into a folder the caller names.

use crate::{Client, internal, read_answer, read_refusal};
use percent_encoding::percent_decode_str;
use plumbline_domain::api::{Attachment, CommandError, ErrorCode, Field};
use plumbline_domain::attachment::display_name;
use plumbline_domain::{AttachmentId, AttachmentKind, WorkOrderId};
use reqwest::header::{CONTENT_DISPOSITION, HeaderMap};
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
        let url = format!("{}/api/v1/work_orders/{}/attachments?kind={}", self.base, order.0, kind.as_str());
        let response = self.send(self.http.post(url).multipart(form).timeout(TRANSFER_TIMEOUT)).await?;
        let status = response.status();
        let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
        match status.is_success() {
            true => read_answer(&body),
            false => Err(read_refusal(status, &body)),
        }
    }

    /// Saves attachment `id`'s content as `into/<id>/<its name>` and answers that path.
    pub async fn download(&self, id: AttachmentId, into: &Path) -> Result<PathBuf, CommandError> {
        let url = format!("{}/api/v1/attachments/{}/content", self.base, id.0);
        let mut response = self.send(self.http.get(url).timeout(TRANSFER_TIMEOUT)).await?;
        let status = response.status();
        if !status.is_success() {
            let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
            return Err(read_refusal(status, &body));
        }
        let dir = into.join(id.0.to_string());
        let path = dir.join(display_name(&file_name(response.headers()).unwrap_or_default()));
        let partial = dir.join(".download.partial");
        let saving =
            |err: std::io::Error| internal(format!("Could not save the attachment in {}: {err}", dir.display()));
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
    let file = tokio::fs::File::open(path).await.map_err(|_| unreadable())?;
    let size = file.metadata().await.map_err(|_| unreadable())?.len();
    Ok(Part::stream_with_length(file, size).file_name(name))
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
}
