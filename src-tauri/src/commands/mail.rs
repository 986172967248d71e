//! E-mail notifications: the agency's SMTP settings and each user's choices go through
//! the service like any command; the SMTP password and the test message need the
//! keyring of the machine that sends (`api::MAIL_SECRETS`), so `AppState` routes them:
//! this computer's keyring on its own store, the agency server's when connected.

use crate::state::AppState;
use plumbline_domain::api::{CommandError, TestEmailSent};
use tauri::State;

#[tauri::command]
pub async fn set_smtp_password(state: State<'_, AppState>, password: String) -> Result<(), CommandError> {
    state.set_smtp_password(password).await
}

#[tauri::command]
pub async fn send_test_email(state: State<'_, AppState>) -> Result<TestEmailSent, CommandError> {
    state.send_test_email().await
}
