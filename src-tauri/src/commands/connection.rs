//! Which agency this desktop works on: this computer's own store or an agency server,
//! chosen on the sign-in screen. These run on this computer (`api::LOCAL_ONLY`).

use super::{Answer, ForPage};
use crate::state::AppState;
use plumbline_domain::api::{About, Connection, ServerCertificate, SessionStatus};
use tauri::State;

#[tauri::command]
pub fn connection(state: State<'_, AppState>) -> ForPage<Connection> {
    ForPage(state.connection())
}

/// The server's certificate fingerprint, for the user to check before trusting it.
#[tauri::command]
pub async fn check_server(address: String) -> Answer<ServerCertificate> {
    let address = plumbline_client::normalise_address(&address)?;
    let fingerprint = plumbline_client::first_contact(&address).await?;
    Ok(ForPage(ServerCertificate { address, fingerprint }))
}

#[tauri::command]
pub async fn use_server(state: State<'_, AppState>, address: String, fingerprint: String) -> Answer<SessionStatus> {
    state.use_server(&address, &fingerprint).await.map(ForPage)
}

/// The About box: this build's version, its store's schema, the server's version.
#[tauri::command]
pub async fn about(state: State<'_, AppState>) -> Answer<About> {
    state.about().await.map(ForPage)
}

#[tauri::command]
pub async fn use_this_computer(state: State<'_, AppState>) -> Answer<SessionStatus> {
    state.use_this_computer().await.map(ForPage)
}
