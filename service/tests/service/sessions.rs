//! Sessions asked of the store on every command: idle time, password changes that end
//! the other sessions and count wrong guesses, inputs capped before argon2, set-up that
//! cannot race, and the admin audit log.

use crate::fixtures::cast;
use crate::support::{demo_store, empty_store, now};
use chrono::Duration;
use plumbline_domain::account::{AdminAction, MAX_PASSWORD_CHARS};
use plumbline_domain::api::{ChangePassword, Field, ListAdminActions, NewUser, SetUpAgency, SignIn};
use plumbline_domain::{Actor, Role, UserId};
use plumbline_service::accounts::{self, DEMO_PASSWORD, Lasting, SessionToken};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, users};

async fn email_of(store: &Store, user: UserId) -> String {
    users::current(store, users::actor(store, user).await.unwrap()).await.unwrap().email
}

async fn admin(store: &Store) -> Actor {
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(store).await.unwrap();
    Actor { user_id: UserId(id), role: Role::Admin }
}

async fn set_idle_minutes(store: &Store, minutes: i64) {
    Sql::new("UPDATE agency SET idle_sign_out_minutes = ?").bind(minutes).execute(store).await.unwrap();
}

async fn live(store: &Store, at: chrono::DateTime<chrono::Utc>, token: &SessionToken) -> bool {
    accounts::session_user(store, at, token).await.unwrap().is_some()
}

#[tokio::test]
async fn a_visit_ends_after_the_agencys_idle_time_and_each_command_keeps_it_going() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    set_idle_minutes(&test.store, 20).await;
    let token = accounts::open_session(&test.store, cast.staff.user_id, now(), Lasting::visit()).await.unwrap();

    assert!(live(&test.store, now() + Duration::minutes(19), &token).await, "used at 19 minutes");
    // Counted from the last use, not from sign-in.
    assert!(live(&test.store, now() + Duration::minutes(38), &token).await, "19 minutes after its last use");
    assert!(!live(&test.store, now() + Duration::minutes(59), &token).await, "21 minutes idle");
    assert_eq!(accounts::idle_sign_out_minutes(&test.store).await.unwrap(), 20, "what the window is told");
}

#[tokio::test]
async fn a_remembered_session_is_not_ended_by_idle_time_only_by_its_days() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    set_idle_minutes(&test.store, 5).await;
    let email = email_of(&test.store, cast.landlord.user_id).await;
    let request = SignIn { email, password: DEMO_PASSWORD.into(), remember: true };
    let token = accounts::sign_in(&test.store, now(), &request).await.unwrap().token.expect("remembered");
    assert!(live(&test.store, now() + Duration::hours(16), &token).await, "closed overnight, still remembered");
}

#[tokio::test]
async fn changing_a_password_ends_the_other_sessions_and_wrong_current_passwords_lock() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let user = cast.contractor.user_id;
    let here = accounts::open_session(&test.store, user, now(), Lasting::visit()).await.unwrap();
    let elsewhere = accounts::open_session(&test.store, user, now(), Lasting::Remembered).await.unwrap();
    let change = |current: &str| ChangePassword { current: current.into(), new: "a much better password".into() };

    for _ in 0..4 {
        let wrong = accounts::change_password(&test.store, now(), cast.contractor, &change("wrong-wrong-wrong")).await;
        assert!(matches!(wrong, Err(ServiceError::Validation { field: Field::Current, .. })), "{wrong:?}");
    }
    assert!(live(&test.store, now(), &here).await, "four wrong guesses end nothing");
    let fifth = accounts::change_password(&test.store, now(), cast.contractor, &change("wrong-wrong-wrong")).await;
    assert!(matches!(&fifth, Err(ServiceError::NotAllowed(m)) if m.starts_with("Too many failed")), "{fifth:?}");
    assert!(!live(&test.store, now(), &here).await, "the fifth locks the account and ends its sessions");
    assert!(!live(&test.store, now(), &elsewhere).await);
    let email = email_of(&test.store, user).await;
    let signing_in = SignIn { email, password: DEMO_PASSWORD.into(), remember: false };
    assert!(accounts::sign_in(&test.store, now(), &signing_in).await.is_err(), "locked for sign-in too");

    // Fifteen minutes on, the right password changes it, and only this session goes on.
    let later = now() + Duration::minutes(16);
    let here = accounts::sign_in(&test.store, later, &signing_in).await.unwrap();
    let here = accounts::open_session(&test.store, here.actor.user_id, later, Lasting::visit()).await.unwrap();
    let elsewhere = accounts::open_session(&test.store, user, later, Lasting::Remembered).await.unwrap();
    accounts::change_password(&test.store, later, cast.contractor, &change(DEMO_PASSWORD)).await.unwrap();
    accounts::end_other_sessions(&test.store, user, &here, later).await.unwrap();
    assert!(live(&test.store, later, &here).await);
    assert!(!live(&test.store, later, &elsewhere).await);
}

#[tokio::test]
async fn an_overlong_password_is_refused_before_it_is_hashed_and_counts_nothing() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let email = email_of(&test.store, cast.tenant.user_id).await;
    let huge = "x".repeat(1_000_000);
    let started = std::time::Instant::now();
    for _ in 0..10 {
        let refused = accounts::sign_in(
            &test.store,
            now(),
            &SignIn { email: email.clone(), password: huge.clone(), remember: false },
        )
        .await;
        assert!(
            matches!(&refused, Err(ServiceError::Validation { field: Field::Password, message })
                if message.contains(&MAX_PASSWORD_CHARS.to_string())),
            "{refused:?}"
        );
    }
    // Ten argon2 runs over a megabyte each would take seconds; ten refusals take none.
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
    let (failed,): (i64,) = Sql::new("SELECT failed_sign_ins FROM users WHERE id = ?")
        .bind(cast.tenant.user_id.0)
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(failed, 0);
    let change = ChangePassword { current: huge, new: "a much better password".into() };
    let refused = accounts::change_password(&test.store, now(), cast.tenant, &change).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Current, .. })), "{refused:?}");
}

#[tokio::test]
async fn a_set_up_that_starts_while_another_is_writing_waits_and_is_then_refused() {
    let test = empty_store().await;
    // The other set-up, caught between counting no users and committing its admin.
    let mut other = test.store.write().await.unwrap();
    other.lock_set_up().await.unwrap();
    Sql::new("INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, 'admin', NULL, 0)")
        .bind("first@example.com")
        .bind("First Admin")
        .execute(&mut other)
        .await
        .unwrap();
    let store = test.store.clone();
    let second = tokio::spawn(async move {
        let request = SetUpAgency {
            agency: "Second Agency".into(),
            name: "Second Admin".into(),
            email: "second@example.com".into(),
            password: "a long enough password".into(),
        };
        accounts::set_up_agency(&store, now(), &request).await
    });
    // Time for the second to count the users: without the turn it would count none.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    other.commit().await.unwrap();
    let second = second.await.unwrap();
    assert!(matches!(&second, Err(ServiceError::NotAllowed(m)) if m.contains("already set up")), "{second:?}");
    let (admins,): (i64,) = Sql::new("SELECT count(*) FROM users").fetch_one(&test.store).await.unwrap();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn every_admin_action_is_in_the_audit_log_which_only_admins_read() {
    let test = demo_store().await;
    let (admin, cast) = (admin(&test.store).await, cast(&test.store).await);
    let invited = NewUser {
        name: "Sam Lee".into(),
        email: "sam.lee@example.com".into(),
        phone: String::new(),
        role: Role::Staff,
        company: String::new(),
    };
    let sam = accounts::create_user(&test.store, admin, now(), &invited).await.unwrap().user.id;
    let at = |minutes| now() + Duration::minutes(minutes);
    accounts::reset_password(&test.store, admin, at(1), cast.landlord.user_id).await.unwrap();
    accounts::unlock_user(&test.store, admin, at(2), cast.landlord.user_id).await.unwrap();
    accounts::set_user_active(&test.store, admin, at(3), sam, false).await.unwrap();
    accounts::set_user_active(&test.store, admin, at(4), sam, true).await.unwrap();

    let log = accounts::list_admin_actions(&test.store, admin, &ListAdminActions::default()).await.unwrap();
    let seen: Vec<_> = log.entries.iter().map(|e| (e.action, e.user.as_str(), e.at)).collect();
    let landlord = users::current(&test.store, cast.landlord).await.unwrap().name;
    assert_eq!(
        seen,
        [
            (AdminAction::Reactivated, "Sam Lee", at(4)),
            (AdminAction::Deactivated, "Sam Lee", at(3)),
            (AdminAction::Unlocked, landlord.as_str(), at(2)),
            (AdminAction::PasswordReset, landlord.as_str(), at(1)),
            (AdminAction::Invited, "Sam Lee", at(0)),
        ]
    );
    let admin_name = users::current(&test.store, admin).await.unwrap().name;
    assert!(log.entries.iter().all(|e| e.admin == admin_name));
    assert_eq!(log.entries[4].detail, "as a staff member");
    assert!(!log.more);
    let older = ListAdminActions { before: Some(log.entries[1].id) };
    let page = accounts::list_admin_actions(&test.store, admin, &older).await.unwrap();
    assert_eq!(page.entries.len(), 3, "entries older than the one given");

    for actor in [cast.staff, cast.landlord, cast.contractor, cast.tenant] {
        let refused = accounts::list_admin_actions(&test.store, actor, &ListAdminActions::default()).await;
        assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{:?}: {refused:?}", actor.role);
    }
}

#[tokio::test]
async fn a_refused_admin_action_leaves_no_audit_entry() {
    let test = demo_store().await;
    let admin = admin(&test.store).await;
    let refused = accounts::set_user_active(&test.store, admin, now(), admin.user_id, false).await;
    assert!(refused.is_err());
    let log = accounts::list_admin_actions(&test.store, admin, &ListAdminActions::default()).await.unwrap();
    assert!(log.entries.is_empty(), "{:?}", log.entries);
}

#[tokio::test]
async fn wrong_guesses_made_at_once_each_count_for_an_account_and_an_unknown_address_alike() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let email = email_of(&test.store, cast.staff.user_id).await;
    let mut answers = Vec::new();
    for address in [email.clone(), "nobody.here@example.com".to_owned()] {
        let mut guesses = tokio::task::JoinSet::new();
        for _ in 0..5 {
            let (store, address) = (test.store.clone(), address.clone());
            guesses.spawn(async move {
                let guess = SignIn { email: address, password: "wrong-wrong-wrong".into(), remember: false };
                accounts::sign_in(&store, now(), &guess).await
            });
        }
        guesses.join_all().await;
        let sixth = SignIn { email: address, password: DEMO_PASSWORD.into(), remember: false };
        match accounts::sign_in(&test.store, now(), &sixth).await {
            Err(ServiceError::NotAllowed(message)) => answers.push(message),
            other => panic!("five guesses at once did not lock: {other:?}"),
        }
    }
    assert!(answers[0].starts_with("Too many failed sign-ins"), "{answers:?}");
    assert_eq!(answers[0], answers[1], "a locked account answers as a locked unknown address does");
}
