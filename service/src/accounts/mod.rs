//! Accounts: argon2id passwords, sign-in with lockout, remembered sessions (their
//! secrets live in the OS keyring, handled by the shell), first-run set-up, and the
//! admin's user management and its audit log.

mod admin;
mod audit;
mod password;
mod sessions;
mod setup;
mod sign_in;

pub use admin::{create_user, list_users, reset_password, set_user_active, unlock_user};
pub use audit::list_admin_actions;
pub use password::hash as hash_password;
pub use sessions::{Lasting, SessionToken, end_other_sessions, idle_sign_out_minutes, open_session, session_user};
pub use setup::{DEMO_PASSWORD, demo_accounts, set_up_agency, setup_needed};
pub use sign_in::{SignedInUser, change_password, resume, sign_in, sign_out};
