//! Password hashing with argon2id, and the temporary passwords admins hand out.
//! Hashing is deliberately slow, so it runs on a blocking thread, off the async workers.

use crate::error::Result;
use anyhow::anyhow;
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A hash of no one's password, checked when the e-mail is unknown so that a wrong
/// address takes as long to refuse as a wrong password.
const NO_ONE: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wc0wTEc7u9AcKxh0XIjMELpxGLgLpmFhRU5nN4Ofq7U";

/// Letters and digits that cannot be misread for one another (no 0/o, 1/l/i).
const READABLE: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// The argon2id PHC string of `password` (OWASP's parameters: 19 MiB, 2 passes).
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|err| anyhow!("hashing a password: {err}").into())
    })
    .await
    .map_err(|err| anyhow!("password hashing thread: {err}"))?
}

/// Whether `password` matches `stored`; with no stored hash, spends the same time and says no.
pub async fn verify(password: &str, stored: Option<&str>) -> Result<bool> {
    let (password, stored) = (password.to_owned(), stored.unwrap_or(NO_ONE).to_owned());
    let known = stored != NO_ONE;
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .map_err(|err| anyhow!("stored password hash is malformed: {err}"))
    })
    .await
    .map_err(|err| anyhow!("password hashing thread: {err}"))??;
    Ok(known && matches)
}

/// A random password like `k7qm-x3tp-h9wd` (about 60 bits), read out or pasted once.
pub fn temporary() -> String {
    let chars: Vec<char> = (0..12)
        // The modulo bias over a u32 is below one in a hundred million: irrelevant here.
        .map(|_| char::from(READABLE[OsRng.next_u32() as usize % READABLE.len()]))
        .collect();
    chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// 32 random bytes as hex: a remembered session's secret.
pub fn session_secret() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").await.expect("hash");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("correct horse"));
        assert!(verify("correct horse battery", Some(&stored)).await.expect("verify"));
        assert!(!verify("correct horse batterY", Some(&stored)).await.expect("verify"));
        assert!(!verify("anything", None).await.expect("verify"));
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        assert_ne!(hash("same password").await.expect("hash"), hash("same password").await.expect("hash"));
    }

    #[test]
    fn temporary_passwords_are_readable_and_long_enough() {
        let password = temporary();
        assert_eq!(password.len(), 14, "{password}");
        assert!(password.chars().all(|c| c == '-' || READABLE.contains(&(c as u8))), "{password}");
        assert_ne!(temporary(), temporary());
        assert_eq!(session_secret().len(), 64);
    }
}
