//! The desktop's own commands (`service::api::LOCAL_ONLY`: its file dialog, its apps,
//! which agency it uses) that have a browser's way, answered here rather than as the
//! server's JSON: most without asking the server, which does not run them; the exports
//! as the file the server answers with, downloaded. The others are not offered in a browser: their
//! controls are hidden (`ipc::in_browser`), and the server refuses them if asked.

use super::{files, for_page};
use crate::ipc::ipc_error;
use plumbline_domain::api::{About, CommandError, Connection, ServerAbout, ServerHealth};
use plumbline_domain::{Command, commands};
use wasm_bindgen::JsValue;

/// The command's answer, when it is one answered in the browser.
pub(super) async fn answer(name: &str, args: JsValue) -> Option<Result<Vec<u8>, CommandError>> {
    let answer = match name {
        <commands::Connection as Command>::NAME => connection(),
        <commands::About as Command>::NAME => about().await,
        <commands::OpenAttachment as Command>::NAME => match read::<commands::OpenAttachment>(args) {
            Ok(command) => files::download(&format!("/api/v1/attachments/{}/content", command.id.0)),
            Err(error) => Err(error),
        },
        <commands::OpenCertificateFile as Command>::NAME => match read::<commands::OpenCertificateFile>(args) {
            Ok(command) => files::download(&format!("/api/v1/certificates/{}/file", command.id.0)),
            Err(error) => Err(error),
        },
        <commands::AttachChosen as Command>::NAME => match read::<commands::AttachChosen>(args) {
            Ok(command) => files::attach_chosen(command).await,
            Err(error) => Err(error),
        },
        <commands::AttachCertificateFile as Command>::NAME => match read::<commands::AttachCertificateFile>(args) {
            Ok(command) => files::attach_certificate_file(command).await,
            Err(error) => Err(error),
        },
        // Posted as any command; the server answers the file itself, which the browser
        // downloads under the name the desktop's save dialog would suggest.
        <commands::ExportWorkOrders as Command>::NAME
        | <commands::ExportReport as Command>::NAME
        | <commands::ExportWorkOrderPdf as Command>::NAME
        | <commands::ExportEvidencePack as Command>::NAME => files::export(name, &args).await,
        _ => return None,
    };
    Some(answer)
}

fn read<C: Command>(args: JsValue) -> Result<C, CommandError> {
    serde_wasm_bindgen::from_value(args).map_err(|e| ipc_error(format!("could not read {}: {e}", C::NAME)))
}

/// This page's origin, `https://host:port`: the agency server that served it.
fn origin() -> String {
    web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default()
}

/// A browser always works on the agency server that served the page; the browser
/// itself checked the server's certificate.
fn connection() -> Result<Vec<u8>, CommandError> {
    for_page(&Connection::Server { address: origin(), fingerprint: String::new() })
}

/// This page's version (the server serves the build it was released with) and, from
/// `GET /healthz`, the server's and its store's.
async fn about() -> Result<Vec<u8>, CommandError> {
    let headers = super::headers()?;
    let response = super::fetch("/healthz", "GET", &headers, None).await?;
    let health: ServerHealth = serde_wasm_bindgen::from_value(super::read_json(response, "about").await?)
        .map_err(|e| ipc_error(format!("could not read the server's health: {e}")))?;
    for_page(&About {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: health.schema_version.unwrap_or_default(),
        server: Some(ServerAbout {
            address: origin(),
            version: health.version.unwrap_or_else(|| "unknown".to_owned()),
        }),
    })
}
