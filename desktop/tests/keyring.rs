//! Against the real Secret Service (gnome-keyring on a private D-Bus session bus, started
//! by `scripts/with-desktop-session.sh`): what is saved is read back by a new entry, as
//! after a restart, and forgetting removes it.

use plumbline_desktop::RememberedSession;

#[tokio::test]
async fn a_saved_secret_survives_a_new_entry_and_forgetting_removes_it() {
    let store = format!("/tmp/plumbline-keyring-test/{}", std::process::id());
    let entry = RememberedSession::for_store(&store);
    assert_eq!(entry.load().await, Ok(None), "a fresh store has nothing remembered");

    entry.save("secret-one").await.expect("the Secret Service keeps the secret");
    assert_eq!(RememberedSession::for_store(&store).load().await, Ok(Some("secret-one".to_owned())));
    entry.save("secret-two").await.expect("replaced");
    assert_eq!(entry.load().await, Ok(Some("secret-two".to_owned())));

    let other = RememberedSession::for_store(&format!("{store}/other"));
    assert_eq!(other.load().await, Ok(None), "each store remembers its own sign-in");

    entry.forget().await.expect("forgotten");
    assert_eq!(RememberedSession::for_store(&store).load().await, Ok(None));
    entry.forget().await.expect("forgetting twice is fine");
}

#[tokio::test]
async fn each_server_and_user_has_its_own_token_entry() {
    let address = format!("https://plumbline-keyring-test-{}:8443", std::process::id());
    let entry = RememberedSession::for_server(&address, "Dana@Example.com");
    assert_eq!(entry, RememberedSession::for_server(&address, "dana@example.com"), "addresses ignore case");
    entry.save("token-one").await.expect("kept");
    let other_user = RememberedSession::for_server(&address, "sam@example.com");
    assert_eq!(other_user.load().await, Ok(None));
    assert_eq!(
        RememberedSession::for_server(&address, "dana@example.com").load().await,
        Ok(Some("token-one".to_owned()))
    );
    entry.forget().await.expect("forgotten");
}
