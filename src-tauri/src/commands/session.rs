//! Sign-in, sign-out, the session's status, first-run set-up and changing one's password.
//! The session is kept by the backend (`AppState`): in memory and "Remember me" in the OS
//! keyring, for this computer's store and for an agency server alike.

use super::{Answer, ForPage};
use crate::state::AppState;
use plumbline_domain::api::{ChangePassword, SessionStatus, SetUpAgency, SignIn, SignedIn};
use tauri::State;

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Answer<SessionStatus> {
    state.session_status().await.map(ForPage)
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, request: SignIn) -> Answer<SignedIn> {
    state.sign_in(request).await.map(ForPage)
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Answer<()> {
    state.sign_out().await.map(ForPage)
}

#[tauri::command]
pub async fn change_password(state: State<'_, AppState>, request: ChangePassword) -> Answer<SignedIn> {
    state.change_password(request).await.map(ForPage)
}

#[tauri::command]
pub async fn set_up_agency(state: State<'_, AppState>, request: SetUpAgency) -> Answer<SignedIn> {
    state.set_up_agency(request).await.map(ForPage)
}
