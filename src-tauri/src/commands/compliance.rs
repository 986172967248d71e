//! Compliance certificates: staff record them; landlords see their properties'. A
//! certificate's file is chosen and opened on this computer (`api::LOCAL_ONLY`) and kept
//! by the store it goes to (this computer's, or the agency server's).

use super::{Answer, ForPage};
use crate::chosen_files::ChosenFiles;
use crate::error::desktop_error;
use crate::state::AppState;
use plumbline_domain::api::{Certificate, ChosenFile};
use plumbline_domain::ids::CertificateId;
use tauri::State;

/// The native dialog for a certificate's file: held here until it is attached.
#[tauri::command]
pub async fn choose_certificate_file(chosen: State<'_, ChosenFiles>) -> Answer<Option<ChosenFile>> {
    let path = plumbline_desktop::choose_certificate_file().await.map_err(desktop_error)?;
    Ok(ForPage(path.and_then(|path| chosen.hold(vec![path]).pop())))
}

#[tauri::command]
pub async fn attach_certificate_file(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenFiles>,
    id: CertificateId,
    token: u64,
) -> Answer<Certificate> {
    let path = chosen.take_one(token)?;
    state.attach_certificate_file(id, &path).await.map(ForPage)
}

/// Opens the certificate's file in the app the OS uses for it.
#[tauri::command]
pub async fn open_certificate_file(state: State<'_, AppState>, id: CertificateId) -> Answer<()> {
    let path = state.certificate_file(id).await?;
    plumbline_desktop::open_in_default_app(path).await.map_err(desktop_error).map(ForPage)
}
