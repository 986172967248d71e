//! E-mail notifications: the agency's SMTP settings and each user's choices go through
//! the service like any command; the SMTP password and the test message need the
//! keyring of the machine that sends (`api::MAIL_SECRETS`), so `AppState` routes them:
//! this computer's keyring on its own store, the agency server's when connected.

use super::{Answer, ForPage};
use crate::state::AppState;
use plumbline_domain::api::TestEmailSent;
use tauri::State;

#[tauri::command]
pub async fn set_smtp_password(state: State<'_, AppState>, password: String) -> Answer<()> {
    state.set_smtp_password(password).await.map(ForPage)
}

#[tauri::command]
pub async fn send_test_email(state: State<'_, AppState>) -> Answer<TestEmailSent> {
    state.send_test_email().await.map(ForPage)
}
