//! Sign-in, sign-out, the session's status, first-run set-up and changing one's password.
//! The session is kept by the backend (`AppState`), and "Remember me" in the OS keyring.

use crate::error::to_command_error;
use crate::state::AppState;
use plumbline_domain::api::{ChangePassword, CommandError, SessionStatus, SetUpAgency, SignIn, SignedIn};
use plumbline_service::accounts::{self, SignedInUser};
use plumbline_service::users;
use tauri::State;

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Result<SessionStatus, CommandError> {
    if let Some(session) = state.session() {
        return signed_in(&state, &session, None).await.map(SessionStatus::SignedIn);
    }
    if accounts::setup_needed(&state.store).await.map_err(to_command_error)? {
        return Ok(SessionStatus::SetupNeeded);
    }
    let demo_accounts = match state.demo {
        true => accounts::demo_accounts(&state.store).await.map_err(to_command_error)?,
        false => Vec::new(),
    };
    Ok(SessionStatus::SignedOut { demo_accounts })
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, request: SignIn) -> Result<SignedIn, CommandError> {
    let session = accounts::sign_in(&state.store, AppState::now(), &request).await.map_err(to_command_error)?;
    // Signing in as someone else on this computer replaces what was remembered.
    let keyring_problem = match &session.remembered {
        Some(token) => state.keyring.save(token.secret()).await.err(),
        None => state.keyring.forget().await.err(),
    };
    if let Some(problem) = &keyring_problem {
        tracing::warn!("{problem}");
    }
    state.set_session(Some(session.clone()));
    signed_in(&state, &session, keyring_problem.map(|problem| format!("Signed in, but {problem}"))).await
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), CommandError> {
    let token = state.session().and_then(|session| session.remembered);
    state.set_session(None);
    if let Err(problem) = state.keyring.forget().await {
        tracing::warn!("{problem}");
    }
    accounts::sign_out(&state.store, AppState::now(), token.as_ref()).await.map_err(to_command_error)
}

#[tauri::command]
pub async fn change_password(state: State<'_, AppState>, request: ChangePassword) -> Result<SignedIn, CommandError> {
    let mut session = state.signed_in()?;
    accounts::change_password(&state.store, session.actor, &request).await.map_err(to_command_error)?;
    session.must_change_password = false;
    state.set_session(Some(session.clone()));
    signed_in(&state, &session, None).await
}

#[tauri::command]
pub async fn set_up_agency(state: State<'_, AppState>, request: SetUpAgency) -> Result<SignedIn, CommandError> {
    let session = accounts::set_up_agency(&state.store, AppState::now(), &request).await.map_err(to_command_error)?;
    state.set_session(Some(session.clone()));
    signed_in(&state, &session, None).await
}

async fn signed_in(
    state: &AppState,
    session: &SignedInUser,
    keyring_problem: Option<String>,
) -> Result<SignedIn, CommandError> {
    let user = users::current(&state.store, session.actor).await.map_err(to_command_error)?;
    Ok(SignedIn { user, must_change_password: session.must_change_password, keyring_problem })
}
