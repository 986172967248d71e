//! Messages: what a message's body may be, and who writes and reads internal notes.

use crate::role::Role;
use chrono::{DateTime, TimeDelta, Utc};

/// The longest message, in characters (the composer counts down to it).
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// How long after sending its author may retract a message: long enough to notice a
/// slip (the wrong thread, an internal remark sent to everyone), short enough that
/// others can rely on what they have read. The row stays, with `retracted_at` set.
pub const RETRACT_WINDOW_MINUTES: i64 = 10;

/// Until when a message sent at `sent_at` may be retracted.
pub fn retractable_until(sent_at: DateTime<Utc>) -> DateTime<Utc> {
    sent_at + TimeDelta::minutes(RETRACT_WINDOW_MINUTES)
}

/// Whether a message sent at `sent_at` may still be retracted at `now`.
pub fn may_retract(sent_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < retractable_until(sent_at)
}

/// A message's text, trimmed, 1 to `MAX_MESSAGE_CHARS` characters: a body that exists
/// is one that may be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBody(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("write a message first")]
    Empty,
    #[error("a message may be at most {MAX_MESSAGE_CHARS} characters; this one is {0}")]
    TooLong(usize),
}

impl MessageBody {
    pub fn parse(text: &str) -> Result<Self, BodyError> {
        let trimmed = text.trim();
        let chars = trimmed.chars().count();
        if chars == 0 {
            return Err(BodyError::Empty);
        }
        if chars > MAX_MESSAGE_CHARS {
            return Err(BodyError::TooLong(chars));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Role {
    /// Internal notes are the agency's own: only staff and admins write or read them,
    /// whatever else a user may see of the order.
    pub fn may_see_internal_notes(self) -> bool {
        self.is_agency()
    }

    /// Direct messages are between a tenant and the agency; landlords and contractors
    /// talk about an order on its thread.
    pub fn has_direct_messages(self) -> bool {
        match self {
            Role::Staff | Role::Admin | Role::Tenant => true,
            Role::Landlord | Role::Contractor => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_trimmed() {
        assert_eq!(MessageBody::parse("  The boiler is fixed \n").map(|b| b.0), Ok("The boiler is fixed".to_owned()));
    }

    #[test]
    fn an_empty_or_blank_body_is_refused() {
        assert_eq!(MessageBody::parse(""), Err(BodyError::Empty));
        assert_eq!(MessageBody::parse(" \n\t "), Err(BodyError::Empty));
    }

    #[test]
    fn a_body_counts_characters_not_bytes_up_to_the_limit() {
        assert!(MessageBody::parse(&"é".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert_eq!(MessageBody::parse(&"x".repeat(MAX_MESSAGE_CHARS + 1)), Err(BodyError::TooLong(2001)));
    }

    #[test]
    fn a_message_may_be_retracted_only_within_the_window() {
        let sent = DateTime::from_timestamp(1_800_000_000, 0).expect("an instant");
        assert!(may_retract(sent, sent));
        assert!(may_retract(sent, sent + TimeDelta::minutes(RETRACT_WINDOW_MINUTES) - TimeDelta::seconds(1)));
        assert!(!may_retract(sent, sent + TimeDelta::minutes(RETRACT_WINDOW_MINUTES)));
    }

    #[test]
    fn only_the_agency_sees_internal_notes() {
        let seeing: Vec<Role> = Role::ALL.into_iter().filter(|role| role.may_see_internal_notes()).collect();
        assert_eq!(seeing, [Role::Staff, Role::Admin]);
    }
}
