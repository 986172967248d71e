//! Sign-in, sign-out, the session's status, first-run set-up and changing one's password.
//! The session is kept by the backend (`AppState`): in memory and "Remember me" in the OS
//! keyring, for this computer's store and for an agency server alike.

use crate::state::AppState;
use plumbline_domain::api::{ChangePassword, CommandError, SessionStatus, SetUpAgency, SignIn, SignedIn};
use tauri::State;

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Result<SessionStatus, CommandError> {
    state.session_status().await
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, request: SignIn) -> Result<SignedIn, CommandError> {
    state.sign_in(request).await
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.sign_out().await
}

#[tauri::command]
pub async fn change_password(state: State<'_, AppState>, request: ChangePassword) -> Result<SignedIn, CommandError> {
    state.change_password(request).await
}

#[tauri::command]
pub async fn set_up_agency(state: State<'_, AppState>, request: SetUpAgency) -> Result<SignedIn, CommandError> {
    state.set_up_agency(request).await
}
