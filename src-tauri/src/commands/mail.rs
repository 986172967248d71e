//! E-mail notifications: the agency's SMTP settings and each user's choices go through
//! the service like any command; the SMTP password and the test message need the
//! keyring of the machine that sends (`api::MAIL_SECRETS`), so `AppState` routes them:
//! this computer's keyring on its own store, the agency server's when connected.

use crate::state::AppState;
use plumbline_domain::api::{CommandError, EmailPreferences, MailSettings, TestEmailSent};
use plumbline_domain::commands;
use tauri::State;

#[tauri::command]
pub async fn mail_settings(state: State<'_, AppState>) -> Result<MailSettings, CommandError> {
    state.run(commands::MailSettings {}).await
}

#[tauri::command]
pub async fn update_mail_settings(
    state: State<'_, AppState>,
    settings: MailSettings,
) -> Result<MailSettings, CommandError> {
    state.run(commands::UpdateMailSettings { settings }).await
}

#[tauri::command]
pub async fn set_smtp_password(state: State<'_, AppState>, password: String) -> Result<(), CommandError> {
    state.set_smtp_password(password).await
}

#[tauri::command]
pub async fn send_test_email(state: State<'_, AppState>) -> Result<TestEmailSent, CommandError> {
    state.send_test_email().await
}

#[tauri::command]
pub async fn email_preferences(state: State<'_, AppState>) -> Result<EmailPreferences, CommandError> {
    state.run(commands::EmailPreferences {}).await
}

#[tauri::command]
pub async fn set_email_preferences(
    state: State<'_, AppState>,
    preferences: EmailPreferences,
) -> Result<EmailPreferences, CommandError> {
    state.run(commands::SetEmailPreferences { preferences }).await
}
