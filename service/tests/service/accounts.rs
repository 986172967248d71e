//! Accounts on a real store: argon2id hashes, sign-in and lockout, remembered sessions,
//! first-run set-up and the admin's user management.

use crate::fixtures::cast;
use crate::support::{demo_store, empty_store, now};
use chrono::Duration;
use plumbline_domain::api::{AccountStatus, ChangePassword, Field, ListUsers, NewUser, SetUpAgency, SignIn};
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::accounts::{self, DEMO_PASSWORD, SignedInUser};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, users};

fn sign_in_as(email: &str, password: &str, remember: bool) -> SignIn {
    SignIn { email: email.to_owned(), password: password.to_owned(), remember }
}

async fn email_of(store: &Store, user: UserId) -> String {
    users::current(store, users::actor(store, user).await.unwrap()).await.unwrap().email
}

async fn admin(store: &Store) -> Actor {
    let (id,): (i64,) = Sql::new("SELECT id FROM users WHERE role = 'admin' LIMIT 1").fetch_one(store).await.unwrap();
    Actor { user_id: UserId(id), role: Role::Admin }
}

async fn user_count(store: &Store) -> i64 {
    Sql::new("SELECT count(*) FROM users").fetch_one::<(i64,)>(store).await.unwrap().0
}

fn refusal(result: Result<SignedInUser, ServiceError>) -> String {
    match result {
        Err(ServiceError::NotAllowed(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn invite(role: Role, email: &str) -> NewUser {
    let company = if role == Role::Contractor { "Fixit Ltd" } else { "" };
    NewUser { name: "Sam Lee".into(), email: email.into(), phone: "07700 900001".into(), role, company: company.into() }
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes_only() {
    let test = demo_store().await;
    let hashes: Vec<(String,)> = Sql::new("SELECT password_hash FROM users").fetch_all(&test.store).await.unwrap();
    assert!(!hashes.is_empty());
    for (hash,) in hashes {
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(!hash.contains(DEMO_PASSWORD));
    }
}

#[tokio::test]
async fn each_role_signs_in_with_any_case_email() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    for actor in [cast.staff, cast.landlord, cast.contractor, cast.tenant, admin(&test.store).await] {
        let email = email_of(&test.store, actor.user_id).await.to_uppercase();
        let session = accounts::sign_in(&test.store, now(), &sign_in_as(&format!(" {email} "), DEMO_PASSWORD, false))
            .await
            .unwrap();
        assert_eq!(session.actor, actor);
        assert!(!session.must_change_password);
        assert!(session.token.is_none(), "not remembered unless asked");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let email = email_of(&test.store, cast.landlord.user_id).await;
    let wrong = refusal(accounts::sign_in(&test.store, now(), &sign_in_as(&email, "not the password", false)).await);
    let unknown =
        refusal(accounts::sign_in(&test.store, now(), &sign_in_as("nobody@example.com", DEMO_PASSWORD, false)).await);
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("do not match"), "{wrong}");
    let empty = accounts::sign_in(&test.store, now(), &sign_in_as(&email, "", false)).await;
    assert!(matches!(empty, Err(ServiceError::Validation { field: Field::Password, .. })), "{empty:?}");
}

#[tokio::test]
async fn an_address_without_an_account_locks_as_an_account_does() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let email = email_of(&test.store, cast.tenant.user_id).await;
    let answers = |email: String| {
        let store = test.store.clone();
        async move {
            let mut told = Vec::new();
            for _ in 0..6 {
                let attempt = sign_in_as(&email, "guess-guess-guess", false);
                told.push(refusal(accounts::sign_in(&store, now(), &attempt).await));
            }
            told
        }
    };
    let real = answers(email).await;
    let made_up = answers(" Nobody.At.All@Example.com ".to_owned()).await;
    assert_eq!(real, made_up, "the same answers, try by try");
    assert!(made_up[4].contains("locked for 15 minutes"), "{made_up:?}");
    let later = sign_in_as("nobody.at.all@example.com", "guess", false);
    let still = refusal(accounts::sign_in(&test.store, now() + Duration::minutes(15), &later).await);
    assert!(still.contains("do not match"), "unlocked after 15 minutes: {still}");
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let email = email_of(&test.store, cast.tenant.user_id).await;
    let wrong = sign_in_as(&email, "guess-guess-guess", false);
    for _ in 0..4 {
        assert!(!refusal(accounts::sign_in(&test.store, now(), &wrong).await).contains("locked"));
    }
    let fifth = refusal(accounts::sign_in(&test.store, now(), &wrong).await);
    assert!(fifth.contains("locked for 15 minutes"), "{fifth}");

    let right = sign_in_as(&email, DEMO_PASSWORD, false);
    let later = now() + Duration::minutes(10);
    let still = refusal(accounts::sign_in(&test.store, later, &right).await);
    assert!(still.contains("locked for 5 minutes"), "the right password does not open a locked account: {still}");

    let after = now() + Duration::minutes(15);
    assert_eq!(accounts::sign_in(&test.store, after, &right).await.unwrap().actor, cast.tenant);
    // A success starts the count again: four more failures do not lock.
    for _ in 0..4 {
        assert!(!refusal(accounts::sign_in(&test.store, after, &wrong).await).contains("locked"));
    }
    assert!(accounts::sign_in(&test.store, after, &right).await.is_ok());
}

#[tokio::test]
async fn a_remembered_session_resumes_until_signed_out_or_expired() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let email = email_of(&test.store, cast.contractor.user_id).await;
    let session = accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, true)).await.unwrap();
    let token = session.token.clone().expect("remember me gives a secret for the keyring");
    let stored: Vec<(String,)> = Sql::new("SELECT token_sha256 FROM sessions").fetch_all(&test.store).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, token.secret(), "only a digest of the secret is stored");

    let resumed = accounts::resume(&test.store, now() + Duration::days(29), &token).await.unwrap();
    assert_eq!(resumed.map(|s| s.actor), Some(cast.contractor));
    assert_eq!(accounts::resume(&test.store, now() + Duration::days(31), &token).await.unwrap(), None, "expired");

    accounts::sign_out(&test.store, now(), Some(&token)).await.unwrap();
    assert_eq!(accounts::resume(&test.store, now(), &token).await.unwrap(), None, "signed out");
    let made_up = accounts::SessionToken::from_secret("0".repeat(64));
    assert_eq!(accounts::resume(&test.store, now(), &made_up).await.unwrap(), None);
}

#[tokio::test]
async fn an_invited_user_must_choose_a_password_first() {
    let test = demo_store().await;
    let admin = admin(&test.store).await;
    for (role, email) in [
        (Role::Staff, "new.staff@example.com"),
        (Role::Landlord, "new.landlord@example.com"),
        (Role::Contractor, "new.contractor@example.com"),
        (Role::Tenant, "new.tenant@example.com"),
    ] {
        let invited = accounts::create_user(&test.store, admin, now(), &invite(role, email)).await.unwrap();
        assert_eq!((invited.user.role, invited.user.status), (role, AccountStatus::Invited));
        let session =
            accounts::sign_in(&test.store, now(), &sign_in_as(email, &invited.password, false)).await.unwrap();
        assert!(session.must_change_password);
        assert_eq!(session.actor.role, role);

        let change = |current: &str, new: &str| ChangePassword { current: current.into(), new: new.into() };
        let refused = [
            (change("wrong-wrong-wrong", "a brand new password"), Field::Current),
            (change(&invited.password, "short"), Field::New),
            (change(&invited.password, &invited.password), Field::New),
            (change(&invited.password, email), Field::New),
        ];
        for (request, field) in refused {
            let result = accounts::change_password(&test.store, now(), session.actor, &request).await;
            assert!(matches!(result, Err(ServiceError::Validation { field: f, .. }) if f == field), "{result:?}");
        }
        accounts::change_password(
            &test.store,
            now(),
            session.actor,
            &change(&invited.password, "a brand new password"),
        )
        .await
        .unwrap();
        let again =
            accounts::sign_in(&test.store, now(), &sign_in_as(email, "a brand new password", false)).await.unwrap();
        assert!(!again.must_change_password);
        assert!(accounts::sign_in(&test.store, now(), &sign_in_as(email, &invited.password, false)).await.is_err());
    }
    let (contractors,): (i64,) =
        Sql::new("SELECT count(*) FROM contractors c JOIN users u ON u.id = c.user_id WHERE u.email = 'new.contractor@example.com' AND c.company = 'Fixit Ltd'")
            .fetch_one(&test.store)
            .await
            .unwrap();
    assert_eq!(contractors, 1, "a contractor gets their company record");
}

#[tokio::test]
async fn bad_invitations_are_refused_by_field_and_store_nothing() {
    let test = demo_store().await;
    let admin = admin(&test.store).await;
    let taken = email_of(&test.store, cast(&test.store).await.landlord.user_id).await;
    let before = user_count(&test.store).await;
    let cases = [
        (NewUser { name: " ".into(), ..invite(Role::Tenant, "a@example.com") }, Field::Name),
        (invite(Role::Tenant, "not-an-email"), Field::Email),
        (invite(Role::Tenant, &taken.to_uppercase()), Field::Email),
        (NewUser { company: String::new(), ..invite(Role::Contractor, "b@example.com") }, Field::Company),
        (NewUser { phone: "0".repeat(31), ..invite(Role::Tenant, "c@example.com") }, Field::Phone),
    ];
    for (user, field) in cases {
        let result = accounts::create_user(&test.store, admin, now(), &user).await;
        assert!(
            matches!(result, Err(ServiceError::Validation { field: f, .. }) if f == field),
            "{field:?}: {result:?}"
        );
    }
    assert_eq!(user_count(&test.store).await, before);
}

#[tokio::test]
async fn only_admins_manage_users() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let before = user_count(&test.store).await;
    for actor in [cast.staff, cast.landlord, cast.contractor, cast.tenant] {
        let search = ListUsers { search: String::new() };
        assert!(matches!(
            accounts::list_users(&test.store, actor, now(), &search).await,
            Err(ServiceError::NotAllowed(_))
        ));
        let created =
            accounts::create_user(&test.store, actor, now(), &invite(Role::Admin, "sneaky@example.com")).await;
        assert!(matches!(created, Err(ServiceError::NotAllowed(_))));
        let reset = accounts::reset_password(&test.store, actor, now(), cast.staff.user_id).await;
        assert!(matches!(reset, Err(ServiceError::NotAllowed(_))));
        let unlock = accounts::unlock_user(&test.store, actor, now(), cast.staff.user_id).await;
        assert!(matches!(unlock, Err(ServiceError::NotAllowed(_))));
    }
    assert_eq!(user_count(&test.store).await, before);
}

#[tokio::test]
async fn a_reset_unlocks_ends_remembered_sessions_and_replaces_the_password() {
    let test = demo_store().await;
    let (admin, cast) = (admin(&test.store).await, cast(&test.store).await);
    let email = email_of(&test.store, cast.landlord.user_id).await;
    let remembered = accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, true)).await.unwrap();
    for _ in 0..5 {
        let _ = accounts::sign_in(&test.store, now(), &sign_in_as(&email, "wrong-wrong-wrong", false)).await;
    }
    let search = ListUsers { search: email.clone() };
    let listed = accounts::list_users(&test.store, admin, now(), &search).await.unwrap();
    assert_eq!(listed.users[0].status, AccountStatus::Locked { minutes: 15 });

    let reset = accounts::reset_password(&test.store, admin, now(), cast.landlord.user_id).await.unwrap();
    assert_eq!(reset.user.status, AccountStatus::Invited);
    let token = remembered.token.unwrap();
    assert_eq!(accounts::resume(&test.store, now(), &token).await.unwrap(), None);
    assert!(accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, false)).await.is_err());
    let session = accounts::sign_in(&test.store, now(), &sign_in_as(&email, &reset.password, false)).await.unwrap();
    assert!(session.must_change_password);
}

#[tokio::test]
async fn unlock_lets_a_locked_user_straight_back_in() {
    let test = demo_store().await;
    let (admin, cast) = (admin(&test.store).await, cast(&test.store).await);
    let email = email_of(&test.store, cast.staff.user_id).await;
    for _ in 0..5 {
        let _ = accounts::sign_in(&test.store, now(), &sign_in_as(&email, "wrong-wrong-wrong", false)).await;
    }
    assert!(accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, false)).await.is_err());
    let unlocked = accounts::unlock_user(&test.store, admin, now(), cast.staff.user_id).await.unwrap();
    assert_eq!(unlocked.status, AccountStatus::Active);
    assert!(accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, false)).await.is_ok());
}

#[tokio::test]
async fn users_are_searched_by_every_word_in_name_or_email() {
    let test = demo_store().await;
    let admin = admin(&test.store).await;
    let everyone = accounts::list_users(&test.store, admin, now(), &ListUsers { search: String::new() }).await.unwrap();
    assert_eq!(everyone.total, u64::try_from(user_count(&test.store).await).unwrap());
    assert_eq!(everyone.users[0].role, Role::Admin, "the agency is listed first");
    let found =
        accounts::list_users(&test.store, admin, now(), &ListUsers { search: "priya SHAH".into() }).await.unwrap();
    assert_eq!(found.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["Priya Shah"]);
    let none = accounts::list_users(&test.store, admin, now(), &ListUsers { search: "priya %".into() }).await.unwrap();
    assert_eq!(none.total, 0, "% is a literal, not a wildcard");
}

#[tokio::test]
async fn an_empty_store_is_set_up_once_with_its_first_admin() {
    let test = empty_store().await;
    assert!(accounts::setup_needed(&test.store).await.unwrap());
    let request = SetUpAgency {
        agency: "Riverside Lettings".into(),
        name: "Dana Reid".into(),
        email: "Dana@Riverside.example".into(),
        password: "short".into(),
    };
    let refused = accounts::set_up_agency(&test.store, now(), &request).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Password, .. })), "{refused:?}");
    assert!(accounts::setup_needed(&test.store).await.unwrap(), "nothing stored");

    let request = SetUpAgency { password: "riverside lettings 2026".into(), ..request };
    let admin = accounts::set_up_agency(&test.store, now(), &request).await.unwrap();
    assert_eq!(admin.actor.role, Role::Admin);
    let me = users::current(&test.store, admin.actor).await.unwrap();
    assert_eq!((me.agency.as_str(), me.email.as_str()), ("Riverside Lettings", "dana@riverside.example"));
    let (categories,): (i64,) = Sql::new("SELECT count(*) FROM categories").fetch_one(&test.store).await.unwrap();
    assert!(categories > 0, "the standard categories are installed for intake");

    let again =
        accounts::set_up_agency(&test.store, now(), &SetUpAgency { email: "x@y.example".into(), ..request }).await;
    assert!(matches!(again, Err(ServiceError::NotAllowed(_))), "{again:?}");
    assert_eq!(user_count(&test.store).await, 1);
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_everywhere_and_cannot_sign_in_until_reactivated() {
    let test = demo_store().await;
    let (admin, cast) = (admin(&test.store).await, cast(&test.store).await);
    let email = email_of(&test.store, cast.landlord.user_id).await;
    let session = accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, true)).await.unwrap();
    let token = session.token.unwrap();
    assert!(accounts::session_user(&test.store, now(), &token).await.unwrap().is_some());

    let off = accounts::set_user_active(&test.store, admin, now(), cast.landlord.user_id, false).await.unwrap();
    assert_eq!(off.status, AccountStatus::Deactivated);
    assert_eq!(accounts::session_user(&test.store, now(), &token).await.unwrap(), None, "the session ended at once");
    assert_eq!(accounts::resume(&test.store, now(), &token).await.unwrap(), None);
    let refused = refusal(accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, false)).await);
    assert!(refused.starts_with("This account has been deactivated"), "{refused}");
    // Only someone with the password learns the account is deactivated.
    let guess = refusal(accounts::sign_in(&test.store, now(), &sign_in_as(&email, "not-the-password", false)).await);
    assert_eq!(guess, "That e-mail address and password do not match an account");

    let on = accounts::set_user_active(&test.store, admin, now(), cast.landlord.user_id, true).await.unwrap();
    assert_eq!(on.status, AccountStatus::Active);
    assert!(accounts::sign_in(&test.store, now(), &sign_in_as(&email, DEMO_PASSWORD, false)).await.is_ok());
}

#[tokio::test]
async fn only_an_admin_deactivates_and_never_their_own_account() {
    let test = demo_store().await;
    let (admin, cast) = (admin(&test.store).await, cast(&test.store).await);
    let own = accounts::set_user_active(&test.store, admin, now(), admin.user_id, false).await;
    assert!(matches!(&own, Err(ServiceError::NotAllowed(m)) if m.contains("your own account")), "{own:?}");
    let by_staff = accounts::set_user_active(&test.store, cast.staff, now(), cast.tenant.user_id, false).await;
    assert!(matches!(by_staff, Err(ServiceError::NotAllowed(_))));
    let (deactivated,): (i64,) =
        Sql::new("SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL").fetch_one(&test.store).await.unwrap();
    assert_eq!(deactivated, 0, "refusals change nothing");
}

#[tokio::test]
async fn a_deactivated_contractor_is_neither_suggested_nor_assignable() {
    let test = demo_store().await;
    let (admin, cast) = (admin(&test.store).await, cast(&test.store).await);
    let (order,): (i64,) =
        Sql::new("SELECT min(id) FROM work_orders WHERE state = 'New'").fetch_one(&test.store).await.unwrap();
    let order = plumbline_domain::WorkOrderId(order);
    let suggested = plumbline_service::contractors::suggest(&test.store, cast.staff, now(), order).await.unwrap();
    let best = suggested[0].id;
    accounts::set_user_active(&test.store, admin, now(), best, false).await.unwrap();
    let suggested = plumbline_service::contractors::suggest(&test.store, cast.staff, now(), order).await.unwrap();
    assert!(suggested.iter().all(|choice| choice.id != best), "not offered once deactivated");

    let detail = plumbline_service::work_orders::detail(&test.store, cast.staff, now(), order).await.unwrap();
    let assign = plumbline_domain::api::ActOnWorkOrder {
        id: order,
        version: detail.version,
        step: plumbline_domain::api::Step::Assign { contractor: best },
    };
    let refused = plumbline_service::work_orders::act(&test.store, cast.staff, now(), &assign).await;
    assert!(
        matches!(&refused, Err(ServiceError::Validation { message, .. }) if message.contains("deactivated")),
        "{refused:?}"
    );
}
