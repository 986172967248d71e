//! Account rules: what a valid e-mail and password are, and when repeated failed
//! sign-ins lock an account. Pure, so the UI can check a form before sending it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_NAME_CHARS: usize = 100;

/// Consecutive failed sign-ins that lock an account, and for how long.
pub const MAX_FAILED_SIGN_INS: u32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

/// How long "Remember me" keeps a user signed in on this computer.
pub const REMEMBER_DAYS: i64 = 30;

/// The longest a session without "Remember me" lasts, however busy: a working day.
pub const VISIT_HOURS: i64 = 12;

/// The address as stored: trimmed and lower-case, or why it is not an e-mail address.
pub fn normalise_email(email: &str) -> Result<String, &'static str> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err("Enter an e-mail address");
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err("That e-mail address is too long");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("An e-mail address needs an @, like name@example.com");
    };
    let domain_ok = domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.');
    if local.is_empty() || !domain_ok || domain.contains('@') || email.chars().any(char::is_whitespace) {
        return Err("That is not an e-mail address, like name@example.com");
    }
    Ok(email)
}

/// Why `password` may not be chosen, if it may not. Length is the rule that matters
/// (NIST SP 800-63B): no composition rules, but not the e-mail address itself.
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!("Use at least {MIN_PASSWORD_CHARS} characters"));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!("Use at most {MAX_PASSWORD_CHARS} characters"));
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err("Do not use your e-mail address as your password".to_owned());
    }
    Ok(())
}

/// What an admin did to an account, as the admin audit log keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdminAction {
    Invited,
    PasswordReset,
    Unlocked,
    Deactivated,
    Reactivated,
}

impl AdminAction {
    pub const ALL: [AdminAction; 5] = [
        AdminAction::Invited,
        AdminAction::PasswordReset,
        AdminAction::Unlocked,
        AdminAction::Deactivated,
        AdminAction::Reactivated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdminAction::Invited => "invited",
            AdminAction::PasswordReset => "password_reset",
            AdminAction::Unlocked => "unlocked",
            AdminAction::Deactivated => "deactivated",
            AdminAction::Reactivated => "reactivated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == text)
    }

    /// "reset the password of", read as "<admin> reset the password of <user>".
    pub fn verb(self) -> &'static str {
        match self {
            AdminAction::Invited => "invited",
            AdminAction::PasswordReset => "reset the password of",
            AdminAction::Unlocked => "unlocked",
            AdminAction::Deactivated => "deactivated",
            AdminAction::Reactivated => "reactivated",
        }
    }
}

/// What one more failed sign-in does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Count it; this many tries are left before the lock.
    Counted { failed: u32 },
    /// That was one too many: locked until then, and the count starts again.
    Locked { until: DateTime<Utc> },
}

pub fn after_failed_sign_in(failed_before: u32, now: DateTime<Utc>) -> AfterFailure {
    let failed = failed_before.saturating_add(1);
    if failed >= MAX_FAILED_SIGN_INS {
        AfterFailure::Locked { until: now + Duration::minutes(LOCKOUT_MINUTES) }
    } else {
        AfterFailure::Counted { failed }
    }
}

/// Whole minutes left of a lock, rounded up so "0 minutes" is never shown.
pub fn minutes_locked(until: DateTime<Utc>, now: DateTime<Utc>) -> Option<i64> {
    let seconds = (until - now).num_seconds();
    (seconds > 0).then(|| (seconds + 59) / 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("valid instant")
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(normalise_email("  Priya.Shah@Example.COM "), Ok("priya.shah@example.com".to_owned()));
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "   ", "priya", "@example.com", "priya@", "priya@example", "pri ya@example.com", "a@b@c.com"] {
            assert!(normalise_email(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(normalise_email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords_need_length_and_are_not_the_email() {
        assert!(check_new_password("short", "a@b.co").is_err());
        assert!(check_new_password(&"x".repeat(MAX_PASSWORD_CHARS + 1), "a@b.co").is_err());
        assert!(check_new_password("priya@example.com", "Priya@example.com").is_err());
        assert!(check_new_password("correct horse battery", "priya@example.com").is_ok());
        // Characters, not bytes: ten accented letters are ten.
        assert!(check_new_password("éééééééééé", "a@b.co").is_ok());
    }

    #[test]
    fn the_fifth_failure_locks_for_fifteen_minutes() {
        assert_eq!(after_failed_sign_in(0, now()), AfterFailure::Counted { failed: 1 });
        assert_eq!(after_failed_sign_in(3, now()), AfterFailure::Counted { failed: 4 });
        assert_eq!(after_failed_sign_in(4, now()), AfterFailure::Locked { until: now() + Duration::minutes(15) });
    }

    #[test]
    fn minutes_locked_round_up_and_end() {
        let until = now() + Duration::seconds(61);
        assert_eq!(minutes_locked(until, now()), Some(2));
        assert_eq!(minutes_locked(until, until), None);
    }
}
