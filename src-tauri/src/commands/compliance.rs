//! Compliance certificates: staff record them; landlords see their properties'.

use crate::state::AppState;
use plumbline_domain::api::{Certificate, CertificateInput, CommandError, ListCertificates};
use plumbline_domain::commands;
use tauri::State;

#[tauri::command]
pub async fn list_certificates(
    state: State<'_, AppState>,
    request: ListCertificates,
) -> Result<Vec<Certificate>, CommandError> {
    state.run(commands::ListCertificates { request }).await
}

#[tauri::command]
pub async fn record_certificate(
    state: State<'_, AppState>,
    certificate: CertificateInput,
) -> Result<Certificate, CommandError> {
    state.run(commands::RecordCertificate { certificate }).await
}
