//! First run: an empty store gets its agency and first admin from the set-up screen.
//! The demo agency instead offers one account per role on the sign-in screen.

use super::password;
use super::sign_in::SignedInUser;
use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::seed;
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::account::{MAX_NAME_CHARS, check_new_password, normalise_email};
use plumbline_domain::api::{DemoAccount, Field, SetUpAgency};
use plumbline_domain::{Actor, Role, UserId};

/// Every generated user's password, shown on the demo agency's sign-in screen.
pub const DEMO_PASSWORD: &str = "plumbline-demo";

/// Whether the store has no users yet, so the set-up screen comes first.
pub async fn setup_needed(store: &Store) -> Result<bool> {
    let (users,): (i64,) = Sql::new("SELECT count(*) FROM users").fetch_one(store).await?;
    Ok(users == 0)
}

fn check_name(field: Field, text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::validation(field, format!("Enter {what}, 1 to {MAX_NAME_CHARS} characters")));
    }
    Ok(text.to_owned())
}

/// Creates the agency (with the standard categories and SLA targets) and its first
/// admin, signed in. Refused once anyone exists: after that, admins invite users.
pub async fn set_up_agency(store: &Store, now: DateTime<Utc>, request: &SetUpAgency) -> Result<SignedInUser> {
    let agency = check_name(Field::Agency, &request.agency, "the agency's name")?;
    let name = check_name(Field::Name, &request.name, "your name")?;
    let email = normalise_email(&request.email).map_err(|message| ServiceError::validation(Field::Email, message))?;
    check_new_password(&request.password, &email)
        .map_err(|message| ServiceError::validation(Field::Password, message))?;
    if !setup_needed(store).await? {
        return Err(already_set_up());
    }
    let hash = password::hash(&request.password).await?;
    let mut tx = store.write().await?;
    // Asked again inside the write transaction, in turn: two set-ups at once must not both pass.
    tx.lock_set_up().await?;
    let (users, agencies): (i64, i64) =
        Sql::new("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM agency)").fetch_one(&mut tx).await?;
    if users > 0 {
        return Err(already_set_up());
    }
    if agencies == 0 {
        seed::install_defaults(&mut tx).await?;
    }
    Sql::new("UPDATE agency SET name = ?, escalation_contact = NULL").bind(&agency).execute(&mut tx).await?;
    let (id,): (i64,) = Sql::new(
        "INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&email)
    .bind(&name)
    .bind(Role::Admin.as_str())
    .bind(hash)
    .bind(to_secs(now))
    .fetch_one(&mut tx)
    .await?;
    tx.commit().await?;
    let actor = Actor { user_id: UserId(id), role: Role::Admin };
    Ok(SignedInUser { actor, must_change_password: false, token: None, since: now })
}

fn already_set_up() -> ServiceError {
    ServiceError::NotAllowed("this Plumbline store is already set up: sign in instead".into())
}

/// The first account of each role, to try the demo agency as each of them.
pub async fn demo_accounts(store: &Store) -> Result<Vec<DemoAccount>> {
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let first: Option<(String, String)> =
            Sql::new("SELECT name, email FROM users WHERE role = ? ORDER BY id LIMIT 1")
                .bind(role.as_str())
                .fetch_optional(store)
                .await?;
        if let Some((name, email)) = first {
            accounts.push(DemoAccount { role, name, email, password: DEMO_PASSWORD.to_owned() });
        }
    }
    Ok(accounts)
}
